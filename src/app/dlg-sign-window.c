/* dlg-sign-window.c - what a report will say, before it is signed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Signing cannot be undone, so the window first says what is about to be
 * frozen: the result, how complete it is, and where the action plan
 * stands, with a warning (icon and words) for anything the buyer will
 * find missing. The user names the recipients and the language; the
 * window emits ::sign and the main window does the signing.
 */

#define G_LOG_DOMAIN "dlg-sign-window"

#include "config.h"

#include <glib/gi18n.h>

#include "dlg-level-badge.h"
#include "dlg-sign-window.h"

typedef struct
{
  GtkWidget *name_row;
  GtkWidget *id_row;
} Recipient;

struct _DlgSignWindow
{
  AdwWindow            parent_instance;

  /* Template widgets */
  GtkWidget           *sign_button;
  AdwPreferencesGroup *summary_group;
  AdwEntryRow         *period_row;
  AdwComboRow         *language_row;
  AdwPreferencesGroup *recipients_group;

  /* Owned references */
  GPtrArray           *recipients;   /* Recipient* */
  GStrv                languages;
  gboolean             busy;
};

G_DEFINE_FINAL_TYPE (DlgSignWindow, dlg_sign_window, ADW_TYPE_WINDOW)

enum {
  SIGN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Languages by their own names, as a reader looks for theirs. */
static const char *
language_name (const char *code)
{
  static const struct { const char *code; const char *name; } names[] = {
    { "en", "English" }, { "fr", "Français" }, { "nl", "Nederlands" }, { "de", "Deutsch" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (names[i].code, code) == 0)
      return names[i].name;
  return code;
}

static char *
row_text (GtkWidget *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

/**
 * dlg_sign_window_get_ready:
 *
 * Returns: whether the report can be signed as filled in: a period, and
 *   each recipient with both a name and a number
 */
gboolean
dlg_sign_window_get_ready (DlgSignWindow *self)
{
  g_autofree char *period = NULL;

  g_return_val_if_fail (DLG_IS_SIGN_WINDOW (self), FALSE);

  period = row_text (GTK_WIDGET (self->period_row));
  if (*period == '\0')
    return FALSE;

  for (guint i = 0; i < self->recipients->len; i++)
    {
      Recipient *r = g_ptr_array_index (self->recipients, i);
      g_autofree char *name = row_text (r->name_row);
      g_autofree char *id = row_text (r->id_row);

      /* A row left empty is ignored; a half-filled one is not. */
      if ((*name == '\0') != (*id == '\0'))
        return FALSE;
    }
  return !self->busy;
}

static void
fields_changed_cb (DlgSignWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign.sign", dlg_sign_window_get_ready (self));
}

static void
remove_recipient_cb (GtkButton     *button,
                     DlgSignWindow *self)
{
  Recipient *r = g_object_get_data (G_OBJECT (button), "recipient");

  adw_preferences_group_remove (self->recipients_group, r->name_row);
  adw_preferences_group_remove (self->recipients_group, r->id_row);
  g_ptr_array_remove (self->recipients, r);
  fields_changed_cb (self);
}

/**
 * dlg_sign_window_add_recipient:
 * @name: (nullable): the recipient's name
 * @id: (nullable): its enterprise or VAT number
 */
void
dlg_sign_window_add_recipient (DlgSignWindow *self,
                               const char    *name,
                               const char    *id)
{
  Recipient *r = g_new0 (Recipient, 1);
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  guint n = self->recipients->len + 1;
  g_autofree char *name_title = g_strdup_printf (_("Recipient %u"), n);
  g_autofree char *id_title = g_strdup_printf (_("Enterprise or VAT Number of Recipient %u"), n);
  g_autofree char *remove_label = g_strdup_printf (_("Remove Recipient %u"), n);

  g_return_if_fail (DLG_IS_SIGN_WINDOW (self));

  r->name_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (r->name_row), name_title);
  gtk_editable_set_text (GTK_EDITABLE (r->name_row), name ? name : "");
  r->id_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (r->id_row), id_title);
  gtk_editable_set_text (GTK_EDITABLE (r->id_row), id ? id : "");

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, remove_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
  g_object_set_data (G_OBJECT (remove), "recipient", r);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_recipient_cb), self);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (r->name_row), remove);

  g_signal_connect_swapped (r->name_row, "changed", G_CALLBACK (fields_changed_cb), self);
  g_signal_connect_swapped (r->id_row, "changed", G_CALLBACK (fields_changed_cb), self);
  adw_preferences_group_add (self->recipients_group, r->name_row);
  adw_preferences_group_add (self->recipients_group, r->id_row);
  g_ptr_array_add (self->recipients, r);
  fields_changed_cb (self);
}

/**
 * dlg_sign_window_get_recipients:
 *
 * Returns: (transfer full) (element-type DlgParty): the recipients filled
 *   in, in order
 */
GPtrArray *
dlg_sign_window_get_recipients (DlgSignWindow *self)
{
  GPtrArray *parties = g_ptr_array_new_with_free_func ((GDestroyNotify) dlg_party_free);

  g_return_val_if_fail (DLG_IS_SIGN_WINDOW (self), parties);

  for (guint i = 0; i < self->recipients->len; i++)
    {
      Recipient *r = g_ptr_array_index (self->recipients, i);
      g_autofree char *name = row_text (r->name_row);
      g_autofree char *id = row_text (r->id_row);

      if (*name != '\0' || *id != '\0')
        g_ptr_array_add (parties, dlg_party_new (name, *id ? id : NULL));
    }
  return parties;
}

char *
dlg_sign_window_get_period (DlgSignWindow *self)
{
  g_return_val_if_fail (DLG_IS_SIGN_WINDOW (self), NULL);
  return row_text (GTK_WIDGET (self->period_row));
}

/**
 * dlg_sign_window_get_language:
 *
 * Returns: (nullable): the language chosen for the report
 */
const char *
dlg_sign_window_get_language (DlgSignWindow *self)
{
  guint i;

  g_return_val_if_fail (DLG_IS_SIGN_WINDOW (self), NULL);

  i = adw_combo_row_get_selected (self->language_row);
  return self->languages && i < g_strv_length (self->languages) ? self->languages[i] : NULL;
}

/**
 * dlg_sign_window_set_busy:
 *
 * While the key is loaded and the report signed, nothing can be changed.
 */
void
dlg_sign_window_set_busy (DlgSignWindow *self,
                          gboolean       busy)
{
  g_return_if_fail (DLG_IS_SIGN_WINDOW (self));

  self->busy = busy;
  gtk_button_set_label (GTK_BUTTON (self->sign_button), busy ? _("Signing…") : _("_Sign and Release"));
  fields_changed_cb (self);
}

static void
sign_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DlgSignWindow *self = DLG_SIGN_WINDOW (widget);

  if (dlg_sign_window_get_ready (self))
    g_signal_emit (self, signals[SIGN], 0);
}

static void
add_recipient_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  DlgSignWindow *self = DLG_SIGN_WINDOW (widget);
  Recipient *r;

  dlg_sign_window_add_recipient (self, NULL, NULL);
  r = g_ptr_array_index (self->recipients, self->recipients->len - 1);
  gtk_widget_grab_focus (r->name_row);
}

static void
dlg_sign_window_finalize (GObject *object)
{
  DlgSignWindow *self = DLG_SIGN_WINDOW (object);

  g_clear_pointer (&self->recipients, g_ptr_array_unref);
  g_clear_pointer (&self->languages, g_strfreev);

  G_OBJECT_CLASS (dlg_sign_window_parent_class)->finalize (object);
}

static void
dlg_sign_window_class_init (DlgSignWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = dlg_sign_window_finalize;

  /**
   * DlgSignWindow::sign:
   *
   * The user confirmed: sign the report as the window says.
   */
  signals[SIGN] =
    g_signal_new ("sign", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dlg-sign-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DlgSignWindow, sign_button);
  gtk_widget_class_bind_template_child (widget_class, DlgSignWindow, summary_group);
  gtk_widget_class_bind_template_child (widget_class, DlgSignWindow, period_row);
  gtk_widget_class_bind_template_child (widget_class, DlgSignWindow, language_row);
  gtk_widget_class_bind_template_child (widget_class, DlgSignWindow, recipients_group);
  gtk_widget_class_bind_template_callback (widget_class, fields_changed_cb);

  gtk_widget_class_install_action (widget_class, "sign.sign", NULL, sign_action);
  gtk_widget_class_install_action (widget_class, "sign.add-recipient", NULL, add_recipient_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dlg_sign_window_init (DlgSignWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->recipients = g_ptr_array_new_with_free_func (g_free);
}

static void
add_summary_row (DlgSignWindow *self,
                 const char    *title,
                 const char    *subtitle,
                 const char    *icon_name,
                 GtkWidget     *suffix)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *escaped_title = g_markup_escape_text (title, -1);
  g_autofree char *escaped_subtitle = subtitle ? g_markup_escape_text (subtitle, -1) : NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped_title);
  if (escaped_subtitle != NULL)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped_subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
    }
  if (icon_name != NULL)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);

      gtk_accessible_update_state (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
      if (g_str_equal (icon_name, "dialog-warning-symbolic"))
        gtk_widget_add_css_class (icon, "warning");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
    }
  if (suffix != NULL)
    {
      gtk_widget_set_valign (suffix, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix);
    }
  adw_preferences_group_add (self->summary_group, row);
}

/**
 * dlg_sign_window_new:
 * @evaluation: what will be reported
 * @plan: (nullable): the action plan that goes with it
 * @period: (nullable): the period, to start with
 * @supersedes_note: (nullable): which report this one corrects, in words
 */
GtkWidget *
dlg_sign_window_new (GtkWindow           *parent,
                     const DlgEvaluation *evaluation,
                     DlgActionPlan       *plan,
                     const char          *period,
                     const char          *supersedes_note)
{
  DlgSignWindow *self;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  const char * const *languages;
  const char *preferred;
  GtkWidget *badge;
  g_autofree char *level_text = NULL;
  g_autofree char *complete_text = NULL;

  g_return_val_if_fail (evaluation != NULL, NULL);

  self = g_object_new (DLG_TYPE_SIGN_WINDOW, "transient-for", parent, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->period_row), period ? period : "");

  languages = dlg_questionnaire_get_languages (evaluation->questionnaire);
  preferred = dlg_language_pick (languages);
  self->languages = g_strdupv ((char **) languages);
  for (guint i = 0; languages[i] != NULL; i++)
    gtk_string_list_append (names, language_name (languages[i]));
  adw_combo_row_set_model (self->language_row, G_LIST_MODEL (names));
  for (guint i = 0; languages[i] != NULL; i++)
    if (g_strcmp0 (languages[i], preferred) == 0)
      adw_combo_row_set_selected (self->language_row, i);

  /* The result, as the report will say it. */
  badge = dlg_level_badge_new ();
  dlg_level_badge_set_level (DLG_LEVEL_BADGE (badge), evaluation->level);
  if (evaluation->has_score)
    {
      g_autofree char *score = g_strdup_printf ("%.0f %%", evaluation->score);
      dlg_level_badge_set_detail (DLG_LEVEL_BADGE (badge), score);
    }
  level_text = g_strdup_printf ("%s.", dlg_level_get_description (evaluation->level));
  add_summary_row (self, _("Result"), level_text, NULL, badge);

  /* TRANSLATORS: "58 of 64 required questions answered" */
  complete_text = g_strdup_printf (_("%u of %u required questions answered"),
                                   evaluation->n_required_answered, evaluation->n_required);
  if (evaluation->complete)
    add_summary_row (self, _("Complete"), complete_text, "emblem-ok-symbolic", NULL);
  else
    add_summary_row (self, _("Not complete"), complete_text, "dialog-warning-symbolic", NULL);
  if (!evaluation->complete)
    add_summary_row (self, _("The report will say it is incomplete"),
                     _("Its level stays “incomplete” and its score provisional. Answer the remaining required questions first, "
                       "or sign it as it is if your buyer asked for it now."),
                     NULL, NULL);

  if (plan == NULL)
    add_summary_row (self, _("No action plan"), _("The report goes without one."), "dialog-warning-symbolic", NULL);
  else
    {
      DlgReviewState state = dlg_action_plan_get_review_state (plan);
      guint n_open, n_overdue, n_closed, n_proposed;
      /* TRANSLATORS: counts of actions in the plan */
      g_autofree char *counts = NULL;

      dlg_action_plan_count (plan, NULL, &n_open, &n_overdue, &n_closed, &n_proposed);
      counts = g_strdup_printf (_("%s: %u open, %u done or verified, %u proposals not decided on"),
                                dlg_review_state_get_label (state), n_open, n_closed, n_proposed);
      if (state == DLG_REVIEW_DRAFT)
        add_summary_row (self, _("The action plan is not submitted"),
                         _("The buyer will see it as a draft. Submit it for approval first, on the Action Plan page, "
                           "if you want their review."),
                         "dialog-warning-symbolic", NULL);
      add_summary_row (self, _("Action Plan"), counts, dlg_review_state_get_icon_name (state), NULL);
    }

  if (supersedes_note != NULL)
    add_summary_row (self, _("Correction"), supersedes_note, "view-refresh-symbolic", NULL);

  fields_changed_cb (self);
  return GTK_WIDGET (self);
}
