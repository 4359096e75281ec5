/* dlg-window.c - the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For now the window lists the questionnaires Diligence knows; the
 * assessment workspace grows from here.
 */

#define G_LOG_DOMAIN "dlg-window"

#include "config.h"

#include <glib/gi18n.h>

#include "dlg-assessment-page.h"
#include "dlg-core.h"
#include "dlg-window.h"

struct _DlgWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  GtkStack             *main_stack;
  DlgAssessmentPage    *assessment_page;
  GtkStack             *stack;
  GtkListBox           *questionnaire_list;

  /* Owned references */
  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (DlgWindow, dlg_window, ADW_TYPE_APPLICATION_WINDOW)

static const char *
display_language (DlgQuestionnaire *q)
{
  return dlg_language_pick (dlg_questionnaire_get_languages (q));
}

static GtkWidget *
create_questionnaire_row (DlgQuestionnaire *q)
{
  const char *lang = display_language (q);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *arrow;
  g_autofree char *title = g_markup_escape_text (dlg_text_get (dlg_questionnaire_get_title (q), lang), -1);
  g_autofree char *questions = NULL;
  g_autofree char *subtitle = NULL;

  if (dlg_questionnaire_get_n_quick_scan (q) > 0)
    /* TRANSLATORS: "70 questions, 18 in the quick scan" */
    questions = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%u question, %u in the quick scan",
                                              "%u questions, %u in the quick scan",
                                              dlg_questionnaire_get_n_questions (q)),
                                 dlg_questionnaire_get_n_questions (q),
                                 dlg_questionnaire_get_n_quick_scan (q));
  else
    questions = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u question", "%u questions",
                                              dlg_questionnaire_get_n_questions (q)),
                                 dlg_questionnaire_get_n_questions (q));

  /* TRANSLATORS: kind · version · question count */
  subtitle = g_markup_printf_escaped (_("%s · version %s · %s"),
                                      dlg_kind_get_label (dlg_questionnaire_get_kind (q)),
                                      dlg_questionnaire_get_version (q),
                                      questions);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  arrow = gtk_image_new_from_icon_name ("go-next-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (arrow),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Show details"),
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);

  g_object_set_data_full (G_OBJECT (row), "questionnaire", g_object_ref (q), g_object_unref);
  return row;
}

static void
questionnaire_activated_cb (DlgWindow     *self,
                            GtkListBoxRow *row)
{
  DlgQuestionnaire *q;
  g_autoptr(DlgAssessment) assessment = NULL;

  g_assert (DLG_IS_WINDOW (self));
  g_assert (GTK_IS_LIST_BOX_ROW (row));

  q = g_object_get_data (G_OBJECT (row), "questionnaire");
  assessment = dlg_assessment_new (q);
  dlg_window_open_assessment (self, assessment, FALSE,
                              dlg_text_get (dlg_questionnaire_get_title (q), display_language (q)));
}

/**
 * dlg_window_open_assessment:
 * @title: the assessment's title
 *
 * Shows @assessment in the workspace.
 */
void
dlg_window_open_assessment (DlgWindow     *self,
                            DlgAssessment *assessment,
                            gboolean       quick_scan,
                            const char    *title)
{
  g_return_if_fail (DLG_IS_WINDOW (self));

  dlg_assessment_page_set_assessment (self->assessment_page, assessment, quick_scan, title);
  gtk_stack_set_visible_child_name (self->main_stack, "assessment");
}

static void
show_home_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DlgWindow *self = DLG_WINDOW (widget);

  gtk_stack_set_visible_child_name (self->main_stack, "home");
}

static void
dlg_window_populate (DlgWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GPtrArray *questionnaires;

  if (app == NULL)
    return;

  questionnaires = dlg_application_get_questionnaires (DLG_APPLICATION (app));
  for (guint i = 0; i < questionnaires->len; i++)
    gtk_list_box_append (self->questionnaire_list,
                         create_questionnaire_row (g_ptr_array_index (questionnaires, i)));

  gtk_stack_set_visible_child_name (self->stack, questionnaires->len > 0 ? "list" : "empty");
}

static void
dlg_window_dispose (GObject *object)
{
  DlgWindow *self = (DlgWindow *)object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (dlg_window_parent_class)->dispose (object);
}

static void
dlg_window_class_init (DlgWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dlg_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dlg-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DlgWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, DlgWindow, assessment_page);
  gtk_widget_class_bind_template_child (widget_class, DlgWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, DlgWindow, questionnaire_list);
  gtk_widget_class_bind_template_callback (widget_class, questionnaire_activated_cb);

  gtk_widget_class_install_action (widget_class, "win.show-home", NULL, show_home_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.show-home", NULL);

  g_type_ensure (DLG_TYPE_ASSESSMENT_PAGE);
}

static void
dlg_window_init (DlgWindow *self)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The window remembers its size; GSettings writes it back on close. A
   * build run without its schema still works, it just forgets. */
  schema = g_settings_schema_source_lookup (g_settings_schema_source_get_default (), APP_ID, TRUE);
  if (schema == NULL)
    {
      g_message ("Settings schema %s is not installed; window state will not be kept", APP_ID);
      return;
    }
  self->settings = g_settings_new_full (schema, NULL, NULL);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
}

DlgWindow *
dlg_window_new (DlgApplication *application)
{
  DlgWindow *self;

  g_return_val_if_fail (DLG_IS_APPLICATION (application), NULL);

  /* GtkWindow:application is not a construct property, so the window can
   * only ask the application for its questionnaires once it is set. */
  self = g_object_new (DLG_TYPE_WINDOW, "application", application, NULL);
  dlg_window_populate (self);
  return self;
}
