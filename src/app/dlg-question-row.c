/* dlg-question-row.c - one question with its answer controls
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rows are recycled by the list view: bind() builds the controls for a
 * question and fills them from the assessment, unbind() forgets it. Every
 * change goes straight to the assessment; saving is the window's business.
 * Each option shows its level as icon and word beside the label, so the
 * consequence of an answer is visible before it is chosen.
 */

#define G_LOG_DOMAIN "dlg-question-row"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "dlg-height-for-width-bin.h"
#include "dlg-level-badge.h"
#include "dlg-question-row.h"

struct _DlgQuestionRow
{
  GtkWidget          parent_instance;

  /* Template widgets */
  GtkLabel          *text_label;
  DlgLevelBadge     *badge;
  GtkWidget         *confirm_box;
  GtkButton         *confirm_button;
  GtkLabel          *status_label;
  GtkExpander       *guidance_expander;
  GtkLabel          *guidance_label;   /* made when first expanded */
  GtkBox            *answer_box;
  GtkExpander       *comment_expander;
  GtkTextView       *comment_view;     /* made when first needed */
  GtkBox            *evidence_box;
  GtkBox            *evidence_list;
  GtkButton         *attach_button;

  /* Owned references */
  DlgAssessment     *assessment;
  char              *language;

  /* Borrowed from the assessment's questionnaire */
  const DlgQuestion *question;

  GPtrArray         *option_buttons;  /* GtkCheckButton*, in option order */
  GtkWidget         *value_entry;     /* text view, number or date entry */
  GtkWidget         *error_label;     /* made for the first error */
  gboolean           updating;
  gboolean           read_only;    /* a signed assessment: shown, not changed */
};

G_DEFINE_FINAL_TYPE (DlgQuestionRow, dlg_question_row, GTK_TYPE_WIDGET)

enum {
  ATTACH_EVIDENCE,
  OPEN_EVIDENCE,
  REMOVE_EVIDENCE,
  CONFIRM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
report_error (DlgQuestionRow *self,
              const char     *message)
{
  if (self->error_label == NULL && message != NULL)
    {
      self->error_label = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (self->error_label), 0);
      gtk_label_set_wrap (GTK_LABEL (self->error_label), TRUE);
      gtk_widget_add_css_class (self->error_label, "error");
      gtk_widget_add_css_class (self->error_label, "caption");
      gtk_box_append (self->answer_box, self->error_label);
    }
  if (self->error_label != NULL)
    {
      gtk_label_set_label (GTK_LABEL (self->error_label), message ? message : "");
      gtk_widget_set_visible (self->error_label, message != NULL);
    }
  if (self->value_entry != NULL)
    {
      if (message != NULL)
        gtk_widget_add_css_class (self->value_entry, "error");
      else
        gtk_widget_remove_css_class (self->value_entry, "error");
    }
}

static void
choice_toggled_cb (GtkCheckButton *button,
                   DlgQuestionRow *self)
{
  const DlgOption *option = g_object_get_data (G_OBJECT (button), "option");
  g_autoptr(GError) error = NULL;

  if (self->updating || self->question == NULL)
    return;

  if (self->question->type != DLG_QUESTION_MULTIPLE_CHOICE)
    {
      if (gtk_check_button_get_active (button))
        dlg_assessment_set_choice (self->assessment, self->question->id, option->id, &error);
    }
  else
    {
      g_autoptr(GPtrArray) ids = g_ptr_array_new ();

      /* "None of these" and the other options exclude each other. */
      self->updating = TRUE;
      if (gtk_check_button_get_active (button))
        for (guint i = 0; i < self->option_buttons->len; i++)
          {
            GtkCheckButton *other = g_ptr_array_index (self->option_buttons, i);
            const DlgOption *other_option = g_object_get_data (G_OBJECT (other), "option");

            if (other != button && (option->exclusive || other_option->exclusive))
              gtk_check_button_set_active (other, FALSE);
          }
      self->updating = FALSE;

      for (guint i = 0; i < self->option_buttons->len; i++)
        {
          GtkCheckButton *b = g_ptr_array_index (self->option_buttons, i);

          if (gtk_check_button_get_active (b))
            g_ptr_array_add (ids, (gpointer) ((const DlgOption *) g_object_get_data (G_OBJECT (b), "option"))->id);
        }
      g_ptr_array_add (ids, NULL);
      dlg_assessment_set_choices (self->assessment, self->question->id,
                                  (const char * const *) ids->pdata, &error);
    }

  report_error (self, error ? error->message : NULL);
}

static void
clear_clicked_cb (DlgQuestionRow *self)
{
  if (self->question != NULL)
    dlg_assessment_clear_value (self->assessment, self->question->id, NULL);

  self->updating = TRUE;
  for (guint i = 0; i < self->option_buttons->len; i++)
    gtk_check_button_set_active (g_ptr_array_index (self->option_buttons, i), FALSE);
  self->updating = FALSE;
}

static void
text_changed_cb (GtkTextBuffer  *buffer,
                 DlgQuestionRow *self)
{
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  if (self->updating || self->question == NULL)
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_strstrip (text);
  dlg_assessment_set_text (self->assessment, self->question->id, text, NULL);
}

static void
number_changed_cb (GtkEditable    *editable,
                   DlgQuestionRow *self)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  char *end = NULL;
  double value;

  if (self->updating || self->question == NULL)
    return;

  text = g_strstrip (g_strdup (gtk_editable_get_text (editable)));
  if (*text == '\0')
    {
      dlg_assessment_clear_value (self->assessment, self->question->id, NULL);
      report_error (self, NULL);
      return;
    }

  /* Accept a decimal comma, as most of our users write it. */
  g_strdelimit (text, ",", '.');
  value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0')
    {
      report_error (self, _("Enter a number, such as 42 or 12.5"));
      return;
    }

  dlg_assessment_set_number (self->assessment, self->question->id, value, &error);
  report_error (self, error ? error->message : NULL);
}

static void
date_changed_cb (GtkEditable    *editable,
                 DlgQuestionRow *self)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  if (self->updating || self->question == NULL)
    return;

  text = g_strstrip (g_strdup (gtk_editable_get_text (editable)));
  if (*text == '\0')
    {
      dlg_assessment_clear_value (self->assessment, self->question->id, NULL);
      report_error (self, NULL);
      return;
    }

  if (strlen (text) < 10)
    {
      /* Still typing: say nothing yet, store nothing. */
      report_error (self, NULL);
      return;
    }

  dlg_assessment_set_date (self->assessment, self->question->id, text, &error);
  report_error (self, error ? error->message : NULL);
}

static void
day_selected_cb (GtkCalendar    *calendar,
                 DlgQuestionRow *self)
{
  g_autoptr(GDateTime) date = gtk_calendar_get_date (calendar);
  g_autofree char *text = g_date_time_format (date, "%Y-%m-%d");

  gtk_editable_set_text (GTK_EDITABLE (self->value_entry), text);
}

static void
comment_changed_cb (GtkTextBuffer  *buffer,
                    DlgQuestionRow *self)
{
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  if (self->updating || self->question == NULL)
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  dlg_assessment_set_comment (self->assessment, self->question->id, text, NULL);
}

/* Most questions never get a comment or have their guidance opened, and
 * a text view is one of the costlier widgets: rows make them on demand so
 * that the few dozen rows a list keeps alive stay cheap. */
static void
ensure_comment_view (DlgQuestionRow *self)
{
  GtkWidget *frame;

  if (self->comment_view != NULL)
    return;

  self->comment_view = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_text_view_set_wrap_mode (self->comment_view, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (self->comment_view, 6);
  gtk_text_view_set_bottom_margin (self->comment_view, 6);
  gtk_text_view_set_left_margin (self->comment_view, 6);
  gtk_text_view_set_right_margin (self->comment_view, 6);
  gtk_text_view_set_accepts_tab (self->comment_view, FALSE);
  gtk_text_view_set_editable (self->comment_view, !self->read_only);
  gtk_widget_set_size_request (GTK_WIDGET (self->comment_view), -1, 60);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->comment_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Comment"),
                                  -1);
  g_signal_connect (gtk_text_view_get_buffer (self->comment_view), "changed",
                    G_CALLBACK (comment_changed_cb), self);

  frame = gtk_frame_new (NULL);
  gtk_widget_set_margin_top (frame, 6);
  gtk_frame_set_child (GTK_FRAME (frame), GTK_WIDGET (self->comment_view));
  gtk_expander_set_child (self->comment_expander, frame);
}

static void
comment_expanded_cb (DlgQuestionRow *self)
{
  gboolean was_updating = self->updating;

  if (!gtk_expander_get_expanded (self->comment_expander) || self->comment_view != NULL)
    return;

  ensure_comment_view (self);
  /* A new view starts empty; fill it without echoing the text back. */
  self->updating = TRUE;
  if (self->assessment != NULL && self->question != NULL)
    {
      const DlgAnswer *answer = dlg_assessment_get_answer (self->assessment, self->question->id);

      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->comment_view),
                                answer && answer->comment ? answer->comment : "", -1);
    }
  self->updating = was_updating;
}

static void
guidance_expanded_cb (DlgQuestionRow *self)
{
  const char *guidance;

  if (!gtk_expander_get_expanded (self->guidance_expander) || self->guidance_label != NULL)
    return;

  self->guidance_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->guidance_label, 0);
  gtk_label_set_wrap (self->guidance_label, TRUE);
  gtk_label_set_selectable (self->guidance_label, TRUE);
  gtk_widget_set_margin_top (GTK_WIDGET (self->guidance_label), 6);
  guidance = self->question ? dlg_text_get (self->question->guidance, self->language) : NULL;
  gtk_label_set_label (self->guidance_label, guidance ? guidance : "");
  gtk_expander_set_child (self->guidance_expander, GTK_WIDGET (self->guidance_label));
}

static void
confirm_clicked_cb (DlgQuestionRow *self)
{
  if (self->question != NULL)
    g_signal_emit (self, signals[CONFIRM], 0, self->question->id);
}

static void
attach_clicked_cb (DlgQuestionRow *self)
{
  if (self->question != NULL)
    g_signal_emit (self, signals[ATTACH_EVIDENCE], 0, self->question->id);
}

static GtkWidget *
create_option (DlgQuestionRow  *self,
               const DlgOption *option,
               GtkCheckButton  *group)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *button = gtk_check_button_new_with_label (dlg_option_get_label (option, self->language));
  GtkWidget *icon = gtk_image_new_from_icon_name (dlg_level_get_icon_name (option->level));
  GtkWidget *word = gtk_label_new (dlg_level_get_label (option->level));
  g_autofree char *description = g_strdup_printf (_("Level: %s, %s"),
                                                   dlg_level_get_label (option->level),
                                                   dlg_level_get_description (option->level));

  gtk_widget_add_css_class (box, "option-level");
  gtk_widget_add_css_class (icon, dlg_level_get_css_class (option->level));
  gtk_widget_add_css_class (word, "dim-label");
  gtk_widget_add_css_class (word, "caption");
  gtk_accessible_update_state (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (word), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);

  if (group != NULL)
    gtk_check_button_set_group (GTK_CHECK_BUTTON (button), group);

  g_object_set_data (G_OBJECT (button), "option", (gpointer) option);
  g_signal_connect (button, "toggled", G_CALLBACK (choice_toggled_cb), self);
  g_ptr_array_add (self->option_buttons, button);

  gtk_box_append (GTK_BOX (box), button);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), word);
  return box;
}

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))))
    gtk_box_remove (box, child);
}

static void
build_controls (DlgQuestionRow *self)
{
  const DlgQuestion *q = self->question;
  const char *text = dlg_text_get (q->text, self->language);

  clear_box (self->answer_box);
  g_ptr_array_set_size (self->option_buttons, 0);
  self->value_entry = NULL;
  self->error_label = NULL;
  g_object_set_data (G_OBJECT (self), "clear-button", NULL);

  switch (q->type)
    {
    case DLG_QUESTION_SINGLE_CHOICE:
    case DLG_QUESTION_YES_NO:
    case DLG_QUESTION_MULTIPLE_CHOICE:
      {
        GtkCheckButton *group = NULL;
        GtkWidget *clear;

        for (guint i = 0; i < q->options->len; i++)
          {
            GtkWidget *option = create_option (self, g_ptr_array_index (q->options, i), group);

            if (q->type != DLG_QUESTION_MULTIPLE_CHOICE && group == NULL)
              group = g_ptr_array_index (self->option_buttons, 0);
            gtk_box_append (self->answer_box, option);
          }

        if (q->type != DLG_QUESTION_MULTIPLE_CHOICE)
          {
            clear = gtk_button_new_with_mnemonic (_("C_lear Answer"));
            gtk_widget_set_halign (clear, GTK_ALIGN_START);
            gtk_widget_add_css_class (clear, "flat");
            gtk_widget_add_css_class (clear, "caption");
            g_signal_connect_swapped (clear, "clicked", G_CALLBACK (clear_clicked_cb), self);
            g_object_set_data (G_OBJECT (self), "clear-button", clear);
            gtk_box_append (self->answer_box, clear);
          }
      }
      break;

    case DLG_QUESTION_TEXT:
      {
        GtkWidget *frame = gtk_frame_new (NULL);
        GtkWidget *view = gtk_text_view_new ();

        gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
        gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
        gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
        gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
        gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
        gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 6);
        gtk_widget_set_size_request (view, -1, 72);
        gtk_accessible_update_property (GTK_ACCESSIBLE (view),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                        -1);
        g_signal_connect (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), "changed",
                          G_CALLBACK (text_changed_cb), self);
        gtk_frame_set_child (GTK_FRAME (frame), view);
        gtk_box_append (self->answer_box, frame);
        self->value_entry = view;
      }
      break;

    case DLG_QUESTION_NUMBER:
      {
        GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
        GtkWidget *entry = gtk_entry_new ();

        gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_NUMBER);
        gtk_editable_set_width_chars (GTK_EDITABLE (entry), 12);
        gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                        -1);
        g_signal_connect (entry, "changed", G_CALLBACK (number_changed_cb), self);
        gtk_box_append (GTK_BOX (box), entry);
        if (q->unit != NULL)
          {
            GtkWidget *unit = gtk_label_new (dlg_text_get (q->unit, self->language));
            gtk_widget_add_css_class (unit, "dim-label");
            gtk_box_append (GTK_BOX (box), unit);
          }
        gtk_box_append (self->answer_box, box);
        self->value_entry = entry;
      }
      break;

    case DLG_QUESTION_DATE:
      {
        GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
        GtkWidget *entry = gtk_entry_new ();
        GtkWidget *button = gtk_menu_button_new ();
        GtkWidget *popover = gtk_popover_new ();
        GtkWidget *calendar = gtk_calendar_new ();

        gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("YYYY-MM-DD"));
        gtk_editable_set_width_chars (GTK_EDITABLE (entry), 12);
        gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                        -1);
        g_signal_connect (entry, "changed", G_CALLBACK (date_changed_cb), self);

        gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "x-office-calendar-symbolic");
        gtk_widget_set_tooltip_text (button, _("Pick a Date"));
        gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, _("Pick a Date"),
                                        -1);
        gtk_popover_set_child (GTK_POPOVER (popover), calendar);
        gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
        g_signal_connect (calendar, "day-selected", G_CALLBACK (day_selected_cb), self);

        gtk_box_append (GTK_BOX (box), entry);
        gtk_box_append (GTK_BOX (box), button);
        gtk_box_append (self->answer_box, box);
        self->value_entry = entry;
      }
      break;

    default:
      g_assert_not_reached ();
    }

}

static void
evidence_open_cb (GtkButton      *button,
                  DlgQuestionRow *self)
{
  g_signal_emit (self, signals[OPEN_EVIDENCE], 0, self->question->id,
                 g_object_get_data (G_OBJECT (button), "sha256"));
}

static void
evidence_remove_cb (GtkButton      *button,
                    DlgQuestionRow *self)
{
  g_signal_emit (self, signals[REMOVE_EVIDENCE], 0, self->question->id,
                 g_object_get_data (G_OBJECT (button), "sha256"));
}

static void
fill_evidence (DlgQuestionRow  *self,
               const DlgAnswer *answer)
{
  clear_box (self->evidence_list);

  for (guint i = 0; answer && answer->evidence && i < answer->evidence->len; i++)
    {
      const DlgEvidenceRef *ref = g_ptr_array_index (answer->evidence, i);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *open = gtk_button_new ();
      GtkWidget *content = adw_button_content_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *open_label = g_strdup_printf (_("Open %s"), ref->name);
      g_autofree char *remove_label = g_strdup_printf (_("Remove %s"), ref->name);
      g_autofree char *hash_tip = g_strdup_printf ("SHA-256 %s", ref->sha256);

      adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), "text-x-generic-symbolic");
      adw_button_content_set_label (ADW_BUTTON_CONTENT (content), ref->name);
      gtk_button_set_child (GTK_BUTTON (open), content);
      gtk_widget_add_css_class (open, "flat");
      gtk_widget_set_tooltip_text (open, hash_tip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (open), GTK_ACCESSIBLE_PROPERTY_LABEL, open_label, -1);
      g_object_set_data_full (G_OBJECT (open), "sha256", g_strdup (ref->sha256), g_free);
      g_signal_connect (open, "clicked", G_CALLBACK (evidence_open_cb), self);

      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, remove_label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
      g_object_set_data_full (G_OBJECT (remove), "sha256", g_strdup (ref->sha256), g_free);
      g_signal_connect (remove, "clicked", G_CALLBACK (evidence_remove_cb), self);

      gtk_widget_set_visible (remove, !self->read_only);
      gtk_box_append (GTK_BOX (box), open);
      gtk_box_append (GTK_BOX (box), remove);
      gtk_box_append (self->evidence_list, box);
    }
}

/* Fills the controls from the assessment, without echoing changes back. */
static void
fill_from_answer (DlgQuestionRow *self)
{
  const DlgAnswer *answer = dlg_assessment_get_answer (self->assessment, self->question->id);
  gboolean has_comment = answer != NULL && answer->comment != NULL;
  gboolean has_value = answer != NULL && answer->has_value;

  self->updating = TRUE;

  for (guint i = 0; i < self->option_buttons->len; i++)
    {
      GtkCheckButton *b = g_ptr_array_index (self->option_buttons, i);
      const DlgOption *option = g_object_get_data (G_OBJECT (b), "option");

      gtk_check_button_set_active (b, has_value && dlg_answer_has_choice (answer, option->id));
    }

  switch (self->question->type)
    {
    case DLG_QUESTION_TEXT:
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->value_entry)),
                                has_value ? answer->string : "", -1);
      break;
    case DLG_QUESTION_NUMBER:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE] = "";

        if (has_value)
          g_ascii_formatd (buf, sizeof buf, "%.10g", answer->number);
        gtk_editable_set_text (GTK_EDITABLE (self->value_entry), buf);
      }
      break;
    case DLG_QUESTION_DATE:
      gtk_editable_set_text (GTK_EDITABLE (self->value_entry), has_value ? answer->string : "");
      break;
    case DLG_QUESTION_SINGLE_CHOICE:
    case DLG_QUESTION_MULTIPLE_CHOICE:
    case DLG_QUESTION_YES_NO:
    default:
      break;
    }

  if (has_comment)
    ensure_comment_view (self);
  if (self->comment_view != NULL)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->comment_view),
                              has_comment ? answer->comment : "", -1);
  gtk_expander_set_expanded (self->comment_expander, has_comment);
  fill_evidence (self, answer);

  self->updating = FALSE;
}

static void
answer_changed_cb (DlgAssessment  *assessment,
                   const char     *question_id,
                   DlgQuestionRow *self)
{
  const DlgAnswer *answer = dlg_assessment_get_answer (assessment, question_id);

  /* Only evidence can change from outside while the row shows it. */
  fill_evidence (self, answer);
}

static void
dlg_question_row_dispose (GObject *object)
{
  GtkWidget *child;
  DlgQuestionRow *self = (DlgQuestionRow *)object;

  dlg_question_row_unbind (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), DLG_TYPE_QUESTION_ROW);
  /* The template's top-level children are not all bound; unparent them all. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (dlg_question_row_parent_class)->dispose (object);
}

static void
dlg_question_row_finalize (GObject *object)
{
  DlgQuestionRow *self = (DlgQuestionRow *)object;

  g_clear_pointer (&self->option_buttons, g_ptr_array_unref);
  g_clear_pointer (&self->language, g_free);

  G_OBJECT_CLASS (dlg_question_row_parent_class)->finalize (object);
}

static void
dlg_question_row_class_init (DlgQuestionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dlg_question_row_dispose;
  object_class->finalize = dlg_question_row_finalize;

  /**
   * DlgQuestionRow::attach-evidence:
   * @question_id: the question
   */
  signals[ATTACH_EVIDENCE] =
    g_signal_new ("attach-evidence", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[OPEN_EVIDENCE] =
    g_signal_new ("open-evidence", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[REMOVE_EVIDENCE] =
    g_signal_new ("remove-evidence", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  /**
   * DlgQuestionRow::confirm:
   * @question_id: the question whose carried-over answer is confirmed
   */
  signals[CONFIRM] =
    g_signal_new ("confirm", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (DLG_TYPE_LEVEL_BADGE);
  g_type_ensure (DLG_TYPE_HEIGHT_FOR_WIDTH_BIN);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dlg-question-row.ui");
  gtk_widget_class_bind_template_child (widget_class, DlgQuestionRow, text_label);
  gtk_widget_class_bind_template_child (widget_class, DlgQuestionRow, badge);
  gtk_widget_class_bind_template_child (widget_class, DlgQuestionRow, confirm_box);
  gtk_widget_class_bind_template_child (widget_class, DlgQuestionRow, confirm_button);
  gtk_widget_class_bind_template_child (widget_class, DlgQuestionRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, DlgQuestionRow, guidance_expander);
  gtk_widget_class_bind_template_child (widget_class, DlgQuestionRow, answer_box);
  gtk_widget_class_bind_template_child (widget_class, DlgQuestionRow, comment_expander);
  gtk_widget_class_bind_template_child (widget_class, DlgQuestionRow, evidence_box);
  gtk_widget_class_bind_template_child (widget_class, DlgQuestionRow, evidence_list);
  gtk_widget_class_bind_template_child (widget_class, DlgQuestionRow, attach_button);
  gtk_widget_class_bind_template_callback (widget_class, attach_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, confirm_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, comment_expanded_cb);
  gtk_widget_class_bind_template_callback (widget_class, guidance_expanded_cb);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
dlg_question_row_init (DlgQuestionRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->option_buttons = g_ptr_array_new ();
}

GtkWidget *
dlg_question_row_new (void)
{
  return g_object_new (DLG_TYPE_QUESTION_ROW, NULL);
}

/**
 * dlg_question_row_bind:
 * @number: the question's number as shown, 1-based, or 0 for none
 */
void
dlg_question_row_bind (DlgQuestionRow    *self,
                       DlgAssessment     *assessment,
                       const DlgQuestion *question,
                       const char        *language,
                       guint              number)
{
  g_autofree char *title = NULL;
  const char *text;
  const char *guidance;

  g_return_if_fail (DLG_IS_QUESTION_ROW (self));
  g_return_if_fail (DLG_IS_ASSESSMENT (assessment));

  dlg_question_row_unbind (self);

  self->assessment = g_object_ref (assessment);
  self->question = question;
  g_free (self->language);
  self->language = g_strdup (language);

  text = dlg_text_get (question->text, language);
  title = number > 0 ? g_strdup_printf ("%u. %s", number, text) : g_strdup (text);
  gtk_label_set_label (self->text_label, title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);

  guidance = dlg_text_get (question->guidance, language);
  if (self->guidance_label != NULL)
    gtk_label_set_label (self->guidance_label, guidance ? guidance : "");
  gtk_widget_set_visible (GTK_WIDGET (self->guidance_expander), guidance != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->evidence_box), question->evidence != DLG_EVIDENCE_NONE);

  build_controls (self);
  fill_from_answer (self);
  dlg_question_row_set_read_only (self, self->read_only);

  g_signal_connect_object (assessment, "changed", G_CALLBACK (answer_changed_cb), self, 0);
}

void
dlg_question_row_unbind (DlgQuestionRow *self)
{
  g_return_if_fail (DLG_IS_QUESTION_ROW (self));

  if (self->assessment != NULL)
    g_signal_handlers_disconnect_by_func (self->assessment, answer_changed_cb, self);
  g_clear_object (&self->assessment);
  self->question = NULL;
  gtk_widget_set_visible (self->confirm_box, FALSE);
}

/**
 * dlg_question_row_set_read_only:
 *
 * Shows the answer without letting it change, as for a signed
 * assessment: choices and fields stay readable and focusable, but
 * nothing can be edited, cleared, attached or removed.
 */
void
dlg_question_row_set_read_only (DlgQuestionRow *self,
                                gboolean        read_only)
{
  GtkWidget *clear;

  g_return_if_fail (DLG_IS_QUESTION_ROW (self));

  self->read_only = read_only;
  for (guint i = 0; i < self->option_buttons->len; i++)
    gtk_widget_set_sensitive (g_ptr_array_index (self->option_buttons, i), !read_only);
  if (self->value_entry != NULL)
    {
      if (GTK_IS_TEXT_VIEW (self->value_entry))
        gtk_text_view_set_editable (GTK_TEXT_VIEW (self->value_entry), !read_only);
      else
        {
          GtkWidget *picker = gtk_widget_get_next_sibling (self->value_entry);

          gtk_editable_set_editable (GTK_EDITABLE (self->value_entry), !read_only);
          if (picker != NULL && GTK_IS_MENU_BUTTON (picker))
            gtk_widget_set_sensitive (picker, !read_only);
        }
    }
  clear = g_object_get_data (G_OBJECT (self), "clear-button");
  if (clear != NULL)
    gtk_widget_set_visible (clear, !read_only);
  if (self->comment_view != NULL)
    gtk_text_view_set_editable (self->comment_view, !read_only);
  gtk_widget_set_visible (GTK_WIDGET (self->attach_button), !read_only);
  for (GtkWidget *box = gtk_widget_get_first_child (GTK_WIDGET (self->evidence_list)); box != NULL;
       box = gtk_widget_get_next_sibling (box))
    gtk_widget_set_visible (gtk_widget_get_last_child (box), !read_only);
  if (read_only)
    gtk_widget_set_visible (self->confirm_box, FALSE);
}

/**
 * dlg_question_row_set_to_confirm:
 *
 * Marks the answer as carried over from the last period and not yet
 * confirmed or changed, with a Confirm button.
 */
void
dlg_question_row_set_to_confirm (DlgQuestionRow *self,
                                 gboolean        to_confirm)
{
  g_return_if_fail (DLG_IS_QUESTION_ROW (self));

  if (self->read_only)
    to_confirm = FALSE;
  if (gtk_widget_get_visible (self->confirm_box) == to_confirm)
    return;

  /* Keep the keyboard in the row when the button it was on goes away. */
  if (!to_confirm && gtk_widget_has_focus (GTK_WIDGET (self->confirm_button)))
    dlg_question_row_focus_answer (self);
  gtk_widget_set_visible (self->confirm_box, to_confirm);
}

gboolean
dlg_question_row_get_to_confirm (DlgQuestionRow *self)
{
  g_return_val_if_fail (DLG_IS_QUESTION_ROW (self), FALSE);
  return gtk_widget_get_visible (self->confirm_box);
}

const DlgQuestion *
dlg_question_row_get_question (DlgQuestionRow *self)
{
  g_return_val_if_fail (DLG_IS_QUESTION_ROW (self), NULL);
  return self->question;
}

/**
 * dlg_question_row_update_result:
 *
 * Shows the question's level and what is still expected of it.
 */
void
dlg_question_row_update_result (DlgQuestionRow          *self,
                                const DlgQuestionResult *result)
{
  const DlgQuestion *q = self->question;
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  const DlgAnswer *answer;
  gboolean missing;

  g_return_if_fail (DLG_IS_QUESTION_ROW (self));

  if (q == NULL)
    return;

  answer = dlg_assessment_get_answer (self->assessment, q->id);
  missing = q->required && !result->answered;

  dlg_level_badge_set_level (self->badge, result->answered ? result->level : DLG_LEVEL_NONE);
  gtk_widget_set_visible (GTK_WIDGET (self->badge), result->answered && result->level != DLG_LEVEL_NONE);

  if (missing)
    g_ptr_array_add (notes, g_strdup (_("Required — not answered yet")));
  else if (!q->required)
    g_ptr_array_add (notes, g_strdup (_("Optional")));
  if (q->critical)
    g_ptr_array_add (notes, g_strdup (_("Zero tolerance: a red answer makes the whole result red")));
  if (q->evidence == DLG_EVIDENCE_REQUIRED &&
      (answer == NULL || answer->evidence == NULL || answer->evidence->len == 0))
    g_ptr_array_add (notes, g_strdup (_("Evidence expected")));
  g_ptr_array_add (notes, NULL);

  {
    g_autofree char *text = g_strjoinv (" · ", (char **) notes->pdata);
    gtk_label_set_label (self->status_label, text);
    gtk_widget_set_visible (GTK_WIDGET (self->status_label), *text != '\0');
  }

  if (missing)
    gtk_widget_add_css_class (GTK_WIDGET (self), "question-required-missing");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "question-required-missing");
}

/**
 * dlg_question_row_focus_answer:
 *
 * Moves the keyboard focus to the first answer control.
 */
gboolean
dlg_question_row_focus_answer (DlgQuestionRow *self)
{
  g_return_val_if_fail (DLG_IS_QUESTION_ROW (self), FALSE);

  if (self->option_buttons->len > 0)
    return gtk_widget_grab_focus (g_ptr_array_index (self->option_buttons, 0));
  if (self->value_entry != NULL)
    return gtk_widget_grab_focus (self->value_entry);
  return FALSE;
}
