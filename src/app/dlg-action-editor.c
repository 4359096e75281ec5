/* dlg-action-editor.c - everything about one corrective action
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every edit goes straight to the action, as answers do, and the window
 * saves the plan a moment later: there is no Save button. A value the plan
 * refuses (a date that does not exist, an address without "@") is shown as
 * an error and not stored until it is right. While the plan waits for
 * approval only progress can change, and the other fields say so by being
 * insensitive.
 */

#define G_LOG_DOMAIN "dlg-action-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dlg-action-editor.h"
#include "dlg-action-row.h"

struct _DlgActionEditor
{
  AdwWindow         parent_instance;

  /* Template widgets */
  AdwWindowTitle   *window_title;
  GtkLabel         *locked_label;
  AdwEntryRow      *title_row;
  AdwComboRow      *status_row;
  AdwComboRow      *priority_row;
  AdwActionRow     *findings_row;
  GtkButton        *show_finding_button;
  GtkLabel         *status_error;
  GtkBox           *texts_box;
  AdwEntryRow      *owner_row;
  AdwEntryRow      *email_row;
  AdwEntryRow      *start_row;
  AdwEntryRow      *due_row;
  GtkLabel         *field_error;
  GtkListBox       *notes_list;
  AdwEntryRow      *note_row;
  GtkBox           *evidence_list;
  GtkButton        *attach_button;
  AdwActionRow     *review_row;
  GtkImage         *review_icon;
  GtkButton        *delete_button;

  /* Owned references */
  DlgAction        *action;
  DlgActionPlan    *plan;
  DlgQuestionnaire *questionnaire;
  char             *language;

  GtkTextView      *text_views[DLG_ACTION_N_FIELDS];
  gboolean          updating;
};

G_DEFINE_FINAL_TYPE (DlgActionEditor, dlg_action_editor, ADW_TYPE_WINDOW)

enum {
  ATTACH_EVIDENCE,
  OPEN_EVIDENCE,
  SHOW_FINDING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (GtkLabel   *label,
            const char *message)
{
  gtk_label_set_label (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

static void
set_entry_text (AdwEntryRow *row,
                const char  *text)
{
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row)), text ? text : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
}

/* The entry the user types in keeps what they typed while it is not valid
 * yet, or while a date is still being typed. */
static void
refresh_entry (AdwEntryRow *row,
               const char  *value,
               gboolean     is_date)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  if (gtk_widget_has_css_class (GTK_WIDGET (row), "error"))
    return;
  if (is_date && *text != '\0' && strlen (text) < 10)
    return;
  set_entry_text (row, value);
}

/* A field from an entry: stored when the plan takes it, marked otherwise. */
static void
apply_field (DlgActionEditor *self,
             AdwEntryRow     *row,
             DlgActionField   field)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  g_autoptr(GError) error = NULL;

  if (self->updating)
    return;

  /* A date is only judged once it is whole. */
  if ((field == DLG_ACTION_FIELD_START_DATE || field == DLG_ACTION_FIELD_DUE_DATE) &&
      *text != '\0' && strlen (text) < 10)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
      show_error (self->field_error, NULL);
      return;
    }

  if (!dlg_action_set_field (self->action, field, text, &error))
    {
      g_autofree char *message = g_strdup_printf (_("%s not saved: %s"), dlg_action_field_get_label (field),
                                                  error->message);
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      show_error (field == DLG_ACTION_FIELD_TITLE ? self->status_error : self->field_error, message);
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  show_error (field == DLG_ACTION_FIELD_TITLE ? self->status_error : self->field_error, NULL);
}

static void
title_changed_cb (DlgActionEditor *self)
{
  apply_field (self, self->title_row, DLG_ACTION_FIELD_TITLE);
}

static void
owner_changed_cb (DlgActionEditor *self)
{
  apply_field (self, self->owner_row, DLG_ACTION_FIELD_OWNER_NAME);
}

static void
email_changed_cb (DlgActionEditor *self)
{
  apply_field (self, self->email_row, DLG_ACTION_FIELD_OWNER_EMAIL);
}

static void
start_changed_cb (DlgActionEditor *self)
{
  apply_field (self, self->start_row, DLG_ACTION_FIELD_START_DATE);
}

static void
due_changed_cb (DlgActionEditor *self)
{
  apply_field (self, self->due_row, DLG_ACTION_FIELD_DUE_DATE);
}

static void
text_changed_cb (GtkTextBuffer   *buffer,
                 DlgActionEditor *self)
{
  DlgActionField field = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (buffer), "field"));
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  GtkTextIter start, end;

  if (self->updating)
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  if (!dlg_action_set_field (self->action, field, text, &error))
    show_error (self->field_error, error->message);
}

static void
status_selected_cb (DlgActionEditor *self)
{
  DlgActionStatus status = adw_combo_row_get_selected (self->status_row);
  g_autoptr(GError) error = NULL;

  if (self->updating)
    return;

  if (!dlg_action_set_status (self->action, status, &error))
    {
      show_error (self->status_error, error->message);
      /* Back to what the action really is. */
      self->updating = TRUE;
      adw_combo_row_set_selected (self->status_row, dlg_action_get_status (self->action));
      self->updating = FALSE;
      return;
    }
  show_error (self->status_error, NULL);
}

static void
priority_selected_cb (DlgActionEditor *self)
{
  g_autoptr(GError) error = NULL;

  if (self->updating)
    return;

  /* The list runs from the most urgent down. */
  if (!dlg_action_set_priority (self->action, DLG_PRIORITY_PRIORITY - adw_combo_row_get_selected (self->priority_row),
                                &error))
    show_error (self->status_error, error->message);
}

static void
note_apply_cb (DlgActionEditor *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->note_row));
  g_autoptr(GError) error = NULL;

  if (*text == '\0')
    return;
  if (!dlg_action_add_note (self->action, NULL, text, &error))
    {
      show_error (self->field_error, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->note_row), "");
}

static void
attach_clicked_cb (DlgActionEditor *self)
{
  g_signal_emit (self, signals[ATTACH_EVIDENCE], 0, dlg_action_get_id (self->action));
}

static void
show_finding_cb (DlgActionEditor *self)
{
  const char * const *findings = dlg_action_get_findings (self->action);

  if (findings[0] != NULL)
    g_signal_emit (self, signals[SHOW_FINDING], 0, findings[0]);
}

static void
evidence_open_cb (GtkButton       *button,
                  DlgActionEditor *self)
{
  g_signal_emit (self, signals[OPEN_EVIDENCE], 0, dlg_action_get_id (self->action),
                 g_object_get_data (G_OBJECT (button), "sha256"));
}

static void
evidence_remove_cb (GtkButton       *button,
                    DlgActionEditor *self)
{
  dlg_action_remove_evidence (self->action, g_object_get_data (G_OBJECT (button), "sha256"));
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    DlgActionEditor  *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "delete") != 0)
    return;

  if (!dlg_action_plan_remove_action (self->plan, self->action, &error))
    {
      show_error (self->status_error, error->message);
      return;
    }
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
delete_clicked_cb (DlgActionEditor *self)
{
  g_autofree char *body = g_strdup_printf (_("“%s” and its notes are removed from the plan. Its evidence files stay in your data."),
                                           dlg_action_get_title (self->action));
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Delete Action?"), body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (delete_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
clear_container (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)))
    {
      if (GTK_IS_LIST_BOX (box))
        gtk_list_box_remove (GTK_LIST_BOX (box), child);
      else
        gtk_box_remove (GTK_BOX (box), child);
    }
}

static void
fill_notes (DlgActionEditor *self)
{
  GPtrArray *notes = dlg_action_get_notes (self->action);

  clear_container (GTK_WIDGET (self->notes_list));
  for (guint i = 0; i < notes->len; i++)
    {
      DlgProgressNote *note = g_ptr_array_index (notes, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *text = g_markup_escape_text (note->text, -1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), note->date);
      gtk_list_box_append (self->notes_list, row);
    }

  if (notes->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No notes yet"));
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->notes_list, row);
    }
}

static void
fill_evidence (DlgActionEditor *self)
{
  GPtrArray *evidence = dlg_action_get_evidence (self->action);

  clear_container (GTK_WIDGET (self->evidence_list));
  for (guint i = 0; i < evidence->len; i++)
    {
      DlgEvidenceRef *ref = g_ptr_array_index (evidence, i);
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

      gtk_box_append (GTK_BOX (box), open);
      gtk_box_append (GTK_BOX (box), remove);
      gtk_box_append (self->evidence_list, box);
    }
}

static void
fill_review (DlgActionEditor *self)
{
  DlgReviewState state = dlg_action_get_review_state (self->action);
  GPtrArray *history = dlg_action_plan_get_history (self->plan);
  g_autoptr(GString) lines = g_string_new (NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->review_row), dlg_review_state_get_label (state));
  gtk_image_set_from_icon_name (self->review_icon, dlg_review_state_get_icon_name (state));

  for (guint i = 0; i < history->len; i++)
    {
      DlgReviewEvent *event = g_ptr_array_index (history, i);
      g_autofree char *line = NULL;

      if (g_strcmp0 (event->action_id, dlg_action_get_id (self->action)) != 0)
        continue;
      /* TRANSLATORS: a review step: date, new state, then who and why if known */
      line = g_strdup_printf (_("%.10s: %s"), event->at, dlg_review_state_get_label (event->to));
      g_string_append_printf (lines, "%s%s", lines->len ? "\n" : "", line);
      if (event->by != NULL)
        g_string_append_printf (lines, _(", by %s"), event->by);
      if (event->reason != NULL)
        g_string_append_printf (lines, " — %s", event->reason);
    }

  {
    g_autofree char *escaped = g_markup_escape_text (lines->len ? lines->str : _("Not reviewed yet"), -1);
    adw_action_row_set_subtitle (self->review_row, escaped);
  }
}

/* Everything from the action, without echoing changes back to it. */
static void
fill (DlgActionEditor *self)
{
  gboolean locked = dlg_action_plan_get_review_state (self->plan) == DLG_REVIEW_SUBMITTED;
  g_autofree char *findings = dlg_action_describe_findings (self->action, self->questionnaire, self->language);
  g_autofree char *escaped = g_markup_escape_text (*findings ? findings : _("None: an action of your own"), -1);

  self->updating = TRUE;

  adw_window_title_set_title (self->window_title, dlg_action_get_title (self->action));
  adw_window_title_set_subtitle (self->window_title, dlg_action_status_get_label (dlg_action_get_status (self->action)));

  refresh_entry (self->title_row, dlg_action_get_title (self->action), FALSE);
  refresh_entry (self->owner_row, dlg_action_get_field (self->action, DLG_ACTION_FIELD_OWNER_NAME), FALSE);
  refresh_entry (self->email_row, dlg_action_get_field (self->action, DLG_ACTION_FIELD_OWNER_EMAIL), FALSE);
  refresh_entry (self->start_row, dlg_action_get_field (self->action, DLG_ACTION_FIELD_START_DATE), TRUE);
  refresh_entry (self->due_row, dlg_action_get_field (self->action, DLG_ACTION_FIELD_DUE_DATE), TRUE);

  for (DlgActionField f = DLG_ACTION_FIELD_ROOT_CAUSE; f <= DLG_ACTION_FIELD_PREVENTIVE_ACTION; f++)
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_views[f]);
      const char *value = dlg_action_get_field (self->action, f);
      g_autofree char *current = NULL;
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      current = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
      /* Blank text is no text: leave what is being typed alone. */
      if (value != NULL && g_strcmp0 (current, value) != 0)
        gtk_text_buffer_set_text (buffer, value, -1);
      else if (value == NULL && *g_strstrip (current) != '\0')
        gtk_text_buffer_set_text (buffer, "", -1);
      gtk_widget_set_sensitive (GTK_WIDGET (self->text_views[f]), !locked);
    }

  adw_combo_row_set_selected (self->status_row, dlg_action_get_status (self->action));
  adw_combo_row_set_selected (self->priority_row, DLG_PRIORITY_PRIORITY - dlg_action_get_priority (self->action));
  adw_action_row_set_subtitle (self->findings_row, escaped);
  gtk_widget_set_visible (GTK_WIDGET (self->show_finding_button), dlg_action_get_findings (self->action)[0] != NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->locked_label), locked);
  gtk_widget_set_sensitive (GTK_WIDGET (self->title_row), !locked);
  gtk_widget_set_sensitive (GTK_WIDGET (self->priority_row), !locked);
  gtk_widget_set_sensitive (GTK_WIDGET (self->owner_row), !locked);
  gtk_widget_set_sensitive (GTK_WIDGET (self->email_row), !locked);
  gtk_widget_set_sensitive (GTK_WIDGET (self->start_row), !locked);
  gtk_widget_set_sensitive (GTK_WIDGET (self->due_row), !locked);
  gtk_widget_set_sensitive (GTK_WIDGET (self->delete_button),
                            !locked && dlg_action_get_status (self->action) != DLG_ACTION_STATUS_VERIFIED);

  fill_notes (self);
  fill_evidence (self);
  fill_review (self);

  self->updating = FALSE;
}

static void
plan_changed_cb (DlgActionPlan   *plan,
                 DlgAction       *action,
                 DlgActionEditor *self)
{
  /* Gone from the plan (merged, deleted, imported away): nothing to edit. */
  if (dlg_action_get_plan (self->action) != self->plan)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  if (action == NULL || action == self->action)
    fill (self);
}

static GtkWidget *
text_field (DlgActionEditor *self,
            DlgActionField   field)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new (dlg_action_field_get_label (field));
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *view = gtk_text_view_new ();
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 6);
  gtk_widget_set_size_request (view, -1, 64);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  dlg_action_field_get_label (field), -1);
  g_object_set_data (G_OBJECT (buffer), "field", GINT_TO_POINTER (field));
  g_signal_connect (buffer, "changed", G_CALLBACK (text_changed_cb), self);
  gtk_frame_set_child (GTK_FRAME (frame), view);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), frame);
  self->text_views[field] = GTK_TEXT_VIEW (view);
  return box;
}

static void
dlg_action_editor_dispose (GObject *object)
{
  DlgActionEditor *self = (DlgActionEditor *) object;

  if (self->plan != NULL)
    g_signal_handlers_disconnect_by_func (self->plan, plan_changed_cb, self);
  g_clear_object (&self->action);
  g_clear_object (&self->plan);
  g_clear_object (&self->questionnaire);

  G_OBJECT_CLASS (dlg_action_editor_parent_class)->dispose (object);
}

static void
dlg_action_editor_finalize (GObject *object)
{
  DlgActionEditor *self = (DlgActionEditor *) object;

  g_free (self->language);

  G_OBJECT_CLASS (dlg_action_editor_parent_class)->finalize (object);
}

static void
dlg_action_editor_class_init (DlgActionEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dlg_action_editor_dispose;
  object_class->finalize = dlg_action_editor_finalize;

  /**
   * DlgActionEditor::attach-evidence:
   * @action_id: the action
   */
  signals[ATTACH_EVIDENCE] =
    g_signal_new ("attach-evidence", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[OPEN_EVIDENCE] =
    g_signal_new ("open-evidence", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * DlgActionEditor::show-finding:
   * @question_id: the question to show
   */
  signals[SHOW_FINDING] =
    g_signal_new ("show-finding", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dlg-action-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, DlgActionEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, DlgActionEditor, locked_label);
  gtk_widget_class_bind_template_child (widget_class, DlgActionEditor, title_row);
  gtk_widget_class_bind_template_child (widget_class, DlgActionEditor, status_row);
  gtk_widget_class_bind_template_child (widget_class, DlgActionEditor, priority_row);
  gtk_widget_class_bind_template_child (widget_class, DlgActionEditor, findings_row);
  gtk_widget_class_bind_template_child (widget_class, DlgActionEditor, show_finding_button);
  gtk_widget_class_bind_template_child (widget_class, DlgActionEditor, status_error);
  gtk_widget_class_bind_template_child (widget_class, DlgActionEditor, texts_box);
  gtk_widget_class_bind_template_child (widget_class, DlgActionEditor, owner_row);
  gtk_widget_class_bind_template_child (widget_class, DlgActionEditor, email_row);
  gtk_widget_class_bind_template_child (widget_class, DlgActionEditor, start_row);
  gtk_widget_class_bind_template_child (widget_class, DlgActionEditor, due_row);
  gtk_widget_class_bind_template_child (widget_class, DlgActionEditor, field_error);
  gtk_widget_class_bind_template_child (widget_class, DlgActionEditor, notes_list);
  gtk_widget_class_bind_template_child (widget_class, DlgActionEditor, note_row);
  gtk_widget_class_bind_template_child (widget_class, DlgActionEditor, evidence_list);
  gtk_widget_class_bind_template_child (widget_class, DlgActionEditor, attach_button);
  gtk_widget_class_bind_template_child (widget_class, DlgActionEditor, review_row);
  gtk_widget_class_bind_template_child (widget_class, DlgActionEditor, review_icon);
  gtk_widget_class_bind_template_child (widget_class, DlgActionEditor, delete_button);
  gtk_widget_class_bind_template_callback (widget_class, title_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, status_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, priority_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, show_finding_cb);
  gtk_widget_class_bind_template_callback (widget_class, owner_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, email_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, start_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, due_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, note_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, attach_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, delete_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dlg_action_editor_init (DlgActionEditor *self)
{
  g_autoptr(GtkStringList) statuses = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) priorities = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  for (DlgActionStatus s = DLG_ACTION_STATUS_NOT_STARTED; s <= DLG_ACTION_STATUS_VERIFIED; s++)
    gtk_string_list_append (statuses, dlg_action_status_get_label (s));
  for (int p = DLG_PRIORITY_PRIORITY; p >= DLG_PRIORITY_MINOR; p--)
    gtk_string_list_append (priorities, dlg_priority_get_label (p));
  self->updating = TRUE;
  adw_combo_row_set_model (self->status_row, G_LIST_MODEL (statuses));
  adw_combo_row_set_model (self->priority_row, G_LIST_MODEL (priorities));
  self->updating = FALSE;

  for (DlgActionField f = DLG_ACTION_FIELD_ROOT_CAUSE; f <= DLG_ACTION_FIELD_PREVENTIVE_ACTION; f++)
    gtk_box_append (self->texts_box, text_field (self, f));
}

/**
 * dlg_action_editor_new:
 * @questionnaire: (nullable): for the findings' text
 */
GtkWidget *
dlg_action_editor_new (GtkWindow        *parent,
                       DlgAction        *action,
                       DlgQuestionnaire *questionnaire,
                       const char       *language)
{
  DlgActionEditor *self;

  g_return_val_if_fail (DLG_IS_ACTION (action), NULL);
  g_return_val_if_fail (dlg_action_get_plan (action) != NULL, NULL);

  self = g_object_new (DLG_TYPE_ACTION_EDITOR, "transient-for", parent, NULL);
  self->action = g_object_ref (action);
  self->plan = g_object_ref (dlg_action_get_plan (action));
  self->questionnaire = questionnaire ? g_object_ref (questionnaire) : NULL;
  self->language = g_strdup (language);
  g_signal_connect_object (self->plan, "changed", G_CALLBACK (plan_changed_cb), self, 0);

  fill (self);
  return GTK_WIDGET (self);
}

DlgAction *
dlg_action_editor_get_action (DlgActionEditor *self)
{
  g_return_val_if_fail (DLG_IS_ACTION_EDITOR (self), NULL);
  return self->action;
}
