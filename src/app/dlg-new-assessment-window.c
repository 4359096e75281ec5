/* dlg-new-assessment-window.c - choosing what to assess
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Emits ::create with the choices; the window creates the assessment in the
 * store and opens it.
 */

#define G_LOG_DOMAIN "dlg-new-assessment-window"

#include "config.h"

#include <glib/gi18n.h>

#include "dlg-new-assessment-window.h"

struct _DlgNewAssessmentWindow
{
  AdwWindow    parent_instance;

  /* Template widgets */
  GtkButton   *create_button;
  AdwComboRow *questionnaire_row;
  AdwComboRow *scope_row;
  AdwEntryRow *title_row;
  AdwEntryRow *period_row;
  AdwEntryRow *recipient_row;

  /* Owned references */
  GPtrArray   *questionnaires;
  gboolean     title_edited;
  gboolean     updating_title;
};

G_DEFINE_FINAL_TYPE (DlgNewAssessmentWindow, dlg_new_assessment_window, ADW_TYPE_WINDOW)

enum {
  CREATE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static DlgQuestionnaire *
selected_questionnaire (DlgNewAssessmentWindow *self)
{
  guint i = adw_combo_row_get_selected (self->questionnaire_row);

  if (self->questionnaires == NULL || i >= self->questionnaires->len)
    return NULL;
  return g_ptr_array_index (self->questionnaires, i);
}

static const char *
language_of (DlgQuestionnaire *q)
{
  return dlg_language_pick (dlg_questionnaire_get_languages (q));
}

static char *
trimmed (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static void
suggest_title (DlgNewAssessmentWindow *self)
{
  DlgQuestionnaire *q = selected_questionnaire (self);
  g_autofree char *period = trimmed (self->period_row);
  g_autofree char *title = NULL;

  if (q == NULL || self->title_edited)
    return;

  /* TRANSLATORS: suggested assessment title, "Questionnaire title 2026" */
  title = g_strdup_printf (_("%s %s"), dlg_text_get (dlg_questionnaire_get_title (q), language_of (q)), period);
  self->updating_title = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->title_row), g_strstrip (title));
  self->updating_title = FALSE;
}

static void
validate_cb (DlgNewAssessmentWindow *self,
             GtkEditable            *editable)
{
  g_autofree char *title = trimmed (self->title_row);
  g_autofree char *period = trimmed (self->period_row);

  if (editable == GTK_EDITABLE (self->title_row) && !self->updating_title)
    self->title_edited = TRUE;
  if (editable == GTK_EDITABLE (self->period_row))
    suggest_title (self);

  g_free (title);
  title = trimmed (self->title_row);
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button),
                            selected_questionnaire (self) != NULL && *title != '\0' && *period != '\0');
}

static void scope_changed_cb (DlgNewAssessmentWindow *self);

static void
questionnaire_changed_cb (DlgNewAssessmentWindow *self)
{
  DlgQuestionnaire *q = selected_questionnaire (self);
  gboolean has_quick_scan = q != NULL && dlg_questionnaire_get_n_quick_scan (q) > 0;

  gtk_widget_set_sensitive (GTK_WIDGET (self->scope_row), has_quick_scan);
  if (!has_quick_scan)
    adw_combo_row_set_selected (self->scope_row, 0);
  /* The scope's subtitle counts the questions of the questionnaire chosen
   * now; the selection may not have changed, so update it here too. */
  scope_changed_cb (self);
  suggest_title (self);
  validate_cb (self, NULL);
}

static void
scope_changed_cb (DlgNewAssessmentWindow *self)
{
  DlgQuestionnaire *q = selected_questionnaire (self);
  g_autofree char *subtitle = NULL;

  if (q == NULL)
    return;

  if (adw_combo_row_get_selected (self->scope_row) == 1)
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u question for a first risk picture",
                                             "%u questions for a first risk picture",
                                             dlg_questionnaire_get_n_quick_scan (q)),
                                dlg_questionnaire_get_n_quick_scan (q));
  else
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u question", "%u questions",
                                             dlg_questionnaire_get_n_questions (q)),
                                dlg_questionnaire_get_n_questions (q));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->scope_row), subtitle);
}

static void
create_clicked_cb (DlgNewAssessmentWindow *self)
{
  g_autofree char *title = trimmed (self->title_row);
  g_autofree char *period = trimmed (self->period_row);
  g_autofree char *recipient = trimmed (self->recipient_row);
  DlgQuestionnaire *q = selected_questionnaire (self);

  if (q == NULL || *title == '\0' || *period == '\0')
    return;

  g_signal_emit (self, signals[CREATE], 0, q, title, period, *recipient ? recipient : NULL,
                 adw_combo_row_get_selected (self->scope_row) == 1);
  gtk_window_close (GTK_WINDOW (self));
}

static void
dlg_new_assessment_window_dispose (GObject *object)
{
  DlgNewAssessmentWindow *self = (DlgNewAssessmentWindow *)object;

  g_clear_pointer (&self->questionnaires, g_ptr_array_unref);

  G_OBJECT_CLASS (dlg_new_assessment_window_parent_class)->dispose (object);
}

static void
dlg_new_assessment_window_class_init (DlgNewAssessmentWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dlg_new_assessment_window_dispose;

  /**
   * DlgNewAssessmentWindow::create:
   * @questionnaire: the questionnaire
   * @title: the title
   * @period: the period, e.g. "2026"
   * @recipient: (nullable): the buyer or contract
   * @quick_scan: whether only the quick scan is assessed
   */
  signals[CREATE] =
    g_signal_new ("create", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 5,
                  DLG_TYPE_QUESTIONNAIRE, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dlg-new-assessment-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DlgNewAssessmentWindow, create_button);
  gtk_widget_class_bind_template_child (widget_class, DlgNewAssessmentWindow, questionnaire_row);
  gtk_widget_class_bind_template_child (widget_class, DlgNewAssessmentWindow, scope_row);
  gtk_widget_class_bind_template_child (widget_class, DlgNewAssessmentWindow, title_row);
  gtk_widget_class_bind_template_child (widget_class, DlgNewAssessmentWindow, period_row);
  gtk_widget_class_bind_template_child (widget_class, DlgNewAssessmentWindow, recipient_row);
  gtk_widget_class_bind_template_callback (widget_class, validate_cb);
  gtk_widget_class_bind_template_callback (widget_class, questionnaire_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, scope_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, create_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dlg_new_assessment_window_init (DlgNewAssessmentWindow *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *year = g_date_time_format (now, "%Y");

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_editable_set_text (GTK_EDITABLE (self->period_row), year);
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->create_button));
}

/**
 * dlg_new_assessment_window_new:
 * @questionnaires: (element-type DlgQuestionnaire): what can be assessed
 */
GtkWidget *
dlg_new_assessment_window_new (GtkWindow *parent,
                               GPtrArray *questionnaires)
{
  DlgNewAssessmentWindow *self = g_object_new (DLG_TYPE_NEW_ASSESSMENT_WINDOW,
                                               "transient-for", parent,
                                               NULL);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  self->questionnaires = g_ptr_array_ref (questionnaires);
  for (guint i = 0; i < questionnaires->len; i++)
    {
      DlgQuestionnaire *q = g_ptr_array_index (questionnaires, i);
      g_autofree char *name = g_strdup_printf ("%s (%s)",
                                               dlg_text_get (dlg_questionnaire_get_title (q), language_of (q)),
                                               dlg_questionnaire_get_version (q));
      gtk_string_list_append (names, name);
    }
  adw_combo_row_set_model (self->questionnaire_row, G_LIST_MODEL (names));
  questionnaire_changed_cb (self);
  scope_changed_cb (self);

  return GTK_WIDGET (self);
}
