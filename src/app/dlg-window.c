/* dlg-window.c - the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window moves between the first-run profile, the list of assessments
 * and the workspace, and owns saving: every change to the open assessment
 * marks its question dirty, and a short debounce writes the dirty answers in
 * one transaction. There is no Save button. A failed write (disk full,
 * read-only) is shown, the changes stay in memory, and the write is retried
 * until it succeeds or the user quits.
 */

#define G_LOG_DOMAIN "dlg-window"

#include "config.h"

#include <glib/gi18n.h>

#include "dlg-assessment-page.h"
#include "dlg-home-page.h"
#include "dlg-new-assessment-window.h"
#include "dlg-welcome-page.h"
#include "dlg-window.h"

/* Well under the one second within which an answer must be on disk. */
#define SAVE_DELAY_MS 250
#define RETRY_DELAY_MS 5000

struct _DlgWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  DlgWelcomePage       *welcome_page;
  DlgHomePage          *home_page;
  DlgAssessmentPage    *assessment_page;
  AdwStatusPage        *error_page;

  /* Owned references */
  GSettings            *settings;
  DlgAssessment        *assessment;
  char                 *assessment_id;
  GHashTable           *dirty;           /* question ids waiting to be saved */
  guint                 save_id;
  AdwToast             *save_error_toast;
};

G_DEFINE_FINAL_TYPE (DlgWindow, dlg_window, ADW_TYPE_APPLICATION_WINDOW)

static DlgStore *
get_store (DlgWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return app ? dlg_application_get_store (DLG_APPLICATION (app)) : NULL;
}

static void
toast (DlgWindow  *self,
       const char *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

/* ------------------------------------------------------------------------ */
/* Saving                                                                   */
/* ------------------------------------------------------------------------ */

static gboolean save_now_cb (gpointer user_data);

static GPtrArray *available_questionnaires (DlgWindow        *self,
                                            DlgQuestionnaire *first);

/**
 * dlg_window_flush:
 *
 * Writes every pending change now.
 *
 * Returns: %TRUE if nothing is left unsaved
 */
gboolean
dlg_window_flush (DlgWindow *self)
{
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  DlgStore *store = get_store (self);
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (DLG_IS_WINDOW (self), FALSE);

  g_clear_handle_id (&self->save_id, g_source_remove);

  if (g_hash_table_size (self->dirty) == 0 || store == NULL || self->assessment == NULL)
    return g_hash_table_size (self->dirty) == 0;

  ids = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, self->dirty);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (ids, key);
  g_ptr_array_add (ids, NULL);

  if (!dlg_store_save_answers (store, self->assessment_id, self->assessment,
                               (const char * const *) ids->pdata, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Changes not saved yet: %s. They are kept and saving is retried."),
                                                  error->message);

      g_warning ("Saving assessment %s failed: %s", self->assessment_id, error->message);

      /* One toast for as long as the problem lasts. */
      if (self->save_error_toast == NULL)
        {
          self->save_error_toast = adw_toast_new (message);
          adw_toast_set_timeout (self->save_error_toast, 0);
          adw_toast_set_priority (self->save_error_toast, ADW_TOAST_PRIORITY_HIGH);
          g_object_add_weak_pointer (G_OBJECT (self->save_error_toast), (gpointer *) &self->save_error_toast);
          adw_toast_overlay_add_toast (self->toast_overlay, self->save_error_toast);
        }

      self->save_id = g_timeout_add (RETRY_DELAY_MS, save_now_cb, self);
      return FALSE;
    }

  g_hash_table_remove_all (self->dirty);
  if (self->save_error_toast != NULL)
    {
      adw_toast_dismiss (self->save_error_toast);
      toast (self, _("All changes saved"));
    }
  return TRUE;
}

static gboolean
save_now_cb (gpointer user_data)
{
  DlgWindow *self = user_data;

  self->save_id = 0;
  dlg_window_flush (self);
  return G_SOURCE_REMOVE;
}

static void
assessment_changed_cb (DlgWindow     *self,
                       const char    *question_id,
                       DlgAssessment *assessment)
{
  g_hash_table_add (self->dirty, g_strdup (question_id));

  if (self->save_id == 0)
    self->save_id = g_timeout_add (SAVE_DELAY_MS, save_now_cb, self);
}

static void
close_assessment (DlgWindow *self)
{
  dlg_window_flush (self);

  if (self->assessment != NULL)
    g_signal_handlers_disconnect_by_func (self->assessment, assessment_changed_cb, self);
  g_clear_object (&self->assessment);
  g_clear_pointer (&self->assessment_id, g_free);
}

/* ------------------------------------------------------------------------ */
/* Pages                                                                    */
/* ------------------------------------------------------------------------ */

static void
show_home (DlgWindow *self)
{
  DlgStore *store = get_store (self);
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GPtrArray) questionnaires = NULL;
  g_autoptr(GError) error = NULL;

  close_assessment (self);

  if (store == NULL)
    return;

  infos = dlg_store_list_assessments (store, &error);
  if (infos == NULL)
    {
      toast (self, error->message);
      infos = g_ptr_array_new ();
    }

  questionnaires = available_questionnaires (self, NULL);
  dlg_home_page_set_assessments (self->home_page, infos, questionnaires);
  gtk_stack_set_visible_child_name (self->main_stack, "home");
}

static void
welcome_done_cb (DlgWindow  *self,
                 DlgProfile *profile)
{
  g_autoptr(GError) error = NULL;

  if (!dlg_store_save_profile (get_store (self), profile, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not save the profile: %s"), error->message);
      g_message ("%s", message);
      toast (self, message);
      return;
    }

  show_home (self);
}

/**
 * dlg_window_open_assessment:
 * @id: an assessment in the store
 *
 * Shows the assessment in the workspace.
 */
void
dlg_window_open_assessment (DlgWindow  *self,
                            const char *id)
{
  DlgStore *store = get_store (self);
  g_autoptr(DlgAssessmentInfo) info = NULL;
  g_autoptr(DlgAssessment) assessment = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (DLG_IS_WINDOW (self));

  close_assessment (self);

  if (!(info = dlg_store_get_assessment_info (store, id, &error)) ||
      !(assessment = dlg_store_load_assessment (store, id, &error)))
    {
      g_autofree char *message = g_strdup_printf (_("Could not open the assessment: %s"), error->message);
      toast (self, message);
      return;
    }

  self->assessment = g_steal_pointer (&assessment);
  self->assessment_id = g_strdup (id);
  g_signal_connect_swapped (self->assessment, "changed", G_CALLBACK (assessment_changed_cb), self);

  dlg_assessment_page_set_assessment (self->assessment_page, self->assessment, info->quick_scan, info->title);
  gtk_stack_set_visible_child_name (self->main_stack, "assessment");
}

static void
open_assessment_cb (DlgWindow  *self,
                    const char *id)
{
  dlg_window_open_assessment (self, id);
}

static void
undo_delete_cb (AdwToast  *toast_,
                DlgWindow *self)
{
  const char *id = g_object_get_data (G_OBJECT (toast_), "id");
  g_autoptr(GError) error = NULL;

  if (!dlg_store_restore_assessment (get_store (self), id, &error))
    toast (self, error->message);
  else if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "home") == 0)
    show_home (self);
}

static void
delete_assessment_cb (DlgWindow  *self,
                      const char *id)
{
  DlgStore *store = get_store (self);
  g_autoptr(DlgAssessmentInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  AdwToast *undo;

  info = dlg_store_get_assessment_info (store, id, NULL);
  if (!dlg_store_trash_assessment (store, id, &error))
    {
      toast (self, error->message);
      return;
    }

  /* TRANSLATORS: a toast after deleting, with an Undo button */
  title = g_strdup_printf (_("“%s” deleted"), info ? info->title : id);
  undo = adw_toast_new (title);
  adw_toast_set_button_label (undo, _("_Undo"));
  adw_toast_set_priority (undo, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data_full (G_OBJECT (undo), "id", g_strdup (id), g_free);
  g_signal_connect (undo, "button-clicked", G_CALLBACK (undo_delete_cb), self);
  adw_toast_overlay_add_toast (self->toast_overlay, undo);

  show_home (self);
}

static void
create_cb (DlgNewAssessmentWindow *dialog,
           DlgQuestionnaire       *questionnaire,
           const char             *title,
           const char             *period,
           const char             *recipient,
           gboolean                quick_scan,
           DlgWindow              *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  id = dlg_store_create_assessment (get_store (self), questionnaire, title, period, recipient,
                                    quick_scan, &error);
  if (id == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not create the assessment: %s"), error->message);
      toast (self, message);
      return;
    }

  dlg_window_open_assessment (self, id);
}

static GPtrArray *
available_questionnaires (DlgWindow         *self,
                          DlgQuestionnaire  *first)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GPtrArray *builtin = dlg_application_get_questionnaires (DLG_APPLICATION (app));
  g_autoptr(GPtrArray) imported = dlg_store_list_imported_questionnaires (get_store (self), NULL);
  GPtrArray *all = g_ptr_array_new_with_free_func (g_object_unref);

  if (first != NULL)
    g_ptr_array_add (all, g_object_ref (first));
  for (guint i = 0; i < builtin->len; i++)
    g_ptr_array_add (all, g_object_ref (g_ptr_array_index (builtin, i)));
  for (guint i = 0; imported && i < imported->len; i++)
    {
      DlgQuestionnaire *q = g_ptr_array_index (imported, i);

      if (first == NULL || g_strcmp0 (dlg_questionnaire_get_checksum (q), dlg_questionnaire_get_checksum (first)) != 0)
        g_ptr_array_add (all, g_object_ref (q));
    }

  return all;
}

/**
 * dlg_window_new_assessment:
 * @first: (nullable): the questionnaire to offer first
 */
void
dlg_window_new_assessment (DlgWindow        *self,
                           DlgQuestionnaire *first)
{
  g_autoptr(GPtrArray) questionnaires = NULL;
  GtkWidget *dialog;

  g_return_if_fail (DLG_IS_WINDOW (self));

  if (get_store (self) == NULL)
    return;

  questionnaires = available_questionnaires (self, first);
  dialog = dlg_new_assessment_window_new (GTK_WINDOW (self), questionnaires);
  g_signal_connect (dialog, "create", G_CALLBACK (create_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
new_assessment_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  dlg_window_new_assessment (DLG_WINDOW (widget), NULL);
}

static void
show_home_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DlgWindow *self = DLG_WINDOW (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "assessment") == 0)
    show_home (self);
}

/* ------------------------------------------------------------------------ */
/* Importing questionnaires                                                 */
/* ------------------------------------------------------------------------ */

static void
show_invalid_file (DlgWindow  *self,
                   GFile      *file,
                   const char *summary,
                   GPtrArray  *diagnostics)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *heading = g_strdup_printf (_("“%s” Cannot Be Used"), name);
  g_autoptr(GString) details = g_string_new (NULL);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, summary);
  GtkWidget *scroller;
  GtkWidget *label;

  /* The validator's own words, one per line, so the author can fix the file. */
  for (guint i = 0; diagnostics && i < diagnostics->len; i++)
    {
      g_autofree char *line = dlg_diagnostic_format (g_ptr_array_index (diagnostics, i), NULL);
      g_string_append_printf (details, "%s%s", i ? "\n" : "", line);
    }

  if (details->len > 0)
    {
      label = gtk_label_new (details->str);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "monospace");
      scroller = gtk_scrolled_window_new ();
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), label);
      gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 240);
      gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scroller);
    }

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * dlg_window_import_file:
 *
 * Checks a questionnaire file and, if it is valid, keeps it in the store
 * and offers to start an assessment of it. Nothing is imported half: an
 * invalid file changes nothing.
 */
void
dlg_window_import_file (DlgWindow *self,
                        GFile     *file)
{
  g_autoptr(GPtrArray) diagnostics = dlg_diagnostics_new ();
  g_autoptr(DlgQuestionnaire) q = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *message = NULL;

  g_return_if_fail (DLG_IS_WINDOW (self));

  if (path == NULL)
    {
      show_invalid_file (self, file, _("Only local files can be opened."), NULL);
      return;
    }

  if (!(bytes = dlg_file_read (path, DLG_JSON_MAX_SIZE, &error)))
    {
      show_invalid_file (self, file, error->message, NULL);
      return;
    }

  if (!(q = dlg_questionnaire_new_from_bytes (bytes, diagnostics, &error)))
    {
      show_invalid_file (self, file, _("This is not a valid questionnaire. The problems found:"), diagnostics);
      return;
    }

  if (get_store (self) == NULL ||
      !dlg_store_add_questionnaire (get_store (self), q, TRUE, &error))
    {
      show_invalid_file (self, file, error ? error->message : _("Your data could not be opened."), NULL);
      return;
    }

  message = g_strdup_printf (_("Imported “%s”"),
                             dlg_text_get (dlg_questionnaire_get_title (q),
                                           dlg_language_pick (dlg_questionnaire_get_languages (q))));
  toast (self, message);
  dlg_window_new_assessment (self, q);
}

static void
import_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    DlgWindow       *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      dlg_window_import_file (self, file);
    }

  g_object_unref (chooser);
}

static void
import_questionnaire_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  DlgWindow *self = DLG_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Import Questionnaire"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Questionnaires (JSON)"));
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_filter_add_mime_type (filter, "application/vnd.diligence.questionnaire+json");
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (import_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ------------------------------------------------------------------------ */
/* Evidence                                                                 */
/* ------------------------------------------------------------------------ */

static void
attach_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    DlgWindow       *self)
{
  const char *question_id = g_object_get_data (G_OBJECT (chooser), "question-id");

  if (response == GTK_RESPONSE_ACCEPT && self->assessment != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GError) error = NULL;
      g_autofree char *sha256 = NULL;

      /* The evidence row goes through the same debounce as answers, but the
       * file copy itself is durable before we return. */
      if (!dlg_store_add_evidence (get_store (self), self->assessment_id, self->assessment,
                                   question_id, file, &sha256, &error))
        {
          g_autofree char *message = g_strdup_printf (_("Could not attach the file: %s"), error->message);
          toast (self, message);
        }
    }

  g_object_unref (chooser);
}

static void
attach_evidence_cb (DlgWindow  *self,
                    const char *question_id)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Attach Evidence"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Attach"), _("_Cancel"));
  g_object_set_data_full (G_OBJECT (chooser), "question-id", g_strdup (question_id), g_free);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (attach_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
open_evidence_cb (DlgWindow  *self,
                  const char *question_id,
                  const char *sha256)
{
  const DlgAnswer *answer = dlg_assessment_get_answer (self->assessment, question_id);
  g_autoptr(GFile) stored = dlg_store_get_evidence_file (get_store (self), sha256);
  g_autofree char *dir_path = NULL;
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GFile) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  const char *name = sha256;

  for (guint i = 0; answer && answer->evidence && i < answer->evidence->len; i++)
    {
      DlgEvidenceRef *ref = g_ptr_array_index (answer->evidence, i);
      if (g_strcmp0 (ref->sha256, sha256) == 0)
        name = ref->name;
    }

  /* Stored files are named by their hash; viewers need the real name and
   * extension, and must not change the stored copy. */
  dir_path = g_build_filename (g_get_user_cache_dir (), APP_ID, "evidence", sha256, NULL);
  dir = g_file_new_for_path (dir_path);
  copy = g_file_get_child (dir, name);
  if ((!g_file_make_directory_with_parents (dir, NULL, &error) &&
       !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS)))
    {
      toast (self, error->message);
      return;
    }
  g_clear_error (&error);
  if (!g_file_copy (stored, copy, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not open the file: %s"), error->message);
      toast (self, message);
      return;
    }

  uri = g_file_get_uri (copy);
  gtk_show_uri (GTK_WINDOW (self), uri, GDK_CURRENT_TIME);
}

static void
remove_evidence_cb (DlgWindow  *self,
                    const char *question_id,
                    const char *sha256)
{
  g_autoptr(GError) error = NULL;

  if (!dlg_store_remove_evidence (get_store (self), self->assessment_id, self->assessment,
                                  question_id, sha256, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not remove the file: %s"), error->message);
      toast (self, message);
    }
}

/* ------------------------------------------------------------------------ */
/* Window                                                                   */
/* ------------------------------------------------------------------------ */

static gboolean
dlg_window_close_request (GtkWindow *window)
{
  DlgWindow *self = DLG_WINDOW (window);

  /* Last chance to write: a failure here is logged by flush, and the
   * answers entered since the last successful save are what can be lost. */
  dlg_window_flush (self);

  return GTK_WINDOW_CLASS (dlg_window_parent_class)->close_request (window);
}

static void
dlg_window_dispose (GObject *object)
{
  DlgWindow *self = (DlgWindow *)object;

  close_assessment (self);
  g_clear_handle_id (&self->save_id, g_source_remove);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (dlg_window_parent_class)->dispose (object);
}

static void
dlg_window_finalize (GObject *object)
{
  DlgWindow *self = (DlgWindow *)object;

  g_clear_pointer (&self->dirty, g_hash_table_unref);

  G_OBJECT_CLASS (dlg_window_parent_class)->finalize (object);
}

static void
dlg_window_class_init (DlgWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = dlg_window_dispose;
  object_class->finalize = dlg_window_finalize;
  window_class->close_request = dlg_window_close_request;

  g_type_ensure (DLG_TYPE_WELCOME_PAGE);
  g_type_ensure (DLG_TYPE_HOME_PAGE);
  g_type_ensure (DLG_TYPE_ASSESSMENT_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dlg-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DlgWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DlgWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, DlgWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, DlgWindow, home_page);
  gtk_widget_class_bind_template_child (widget_class, DlgWindow, assessment_page);
  gtk_widget_class_bind_template_child (widget_class, DlgWindow, error_page);
  gtk_widget_class_bind_template_callback (widget_class, welcome_done_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_assessment_cb);
  gtk_widget_class_bind_template_callback (widget_class, delete_assessment_cb);
  gtk_widget_class_bind_template_callback (widget_class, attach_evidence_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_evidence_cb);
  gtk_widget_class_bind_template_callback (widget_class, remove_evidence_cb);

  gtk_widget_class_install_action (widget_class, "win.show-home", NULL, show_home_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.show-home", NULL);
  gtk_widget_class_install_action (widget_class, "win.new-assessment", NULL, new_assessment_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-assessment", NULL);
  gtk_widget_class_install_action (widget_class, "win.import-questionnaire", NULL, import_questionnaire_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.import-questionnaire", NULL);
}

static void
dlg_window_init (DlgWindow *self)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->dirty = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* The window remembers its size; GSettings writes it back on close. A
   * build run without its schema still works, it just forgets, so it
   * starts at the schema's default size rather than GTK's minimum. */
  gtk_window_set_default_size (GTK_WINDOW (self), 900, 680);
  schema = g_settings_schema_source_lookup (g_settings_schema_source_get_default (), APP_ID, TRUE);
  if (schema == NULL)
    return;
  self->settings = g_settings_new_full (schema, NULL, NULL);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
}

DlgWindow *
dlg_window_new (DlgApplication *application)
{
  DlgWindow *self;
  DlgStore *store;
  g_autoptr(DlgProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (DLG_IS_APPLICATION (application), NULL);

  /* GtkWindow:application is not a construct property: the window asks the
   * application for the store once it is set. */
  self = g_object_new (DLG_TYPE_WINDOW, "application", application, NULL);
  store = dlg_application_get_store (application);

  if (store == NULL)
    {
      const GError *store_error = dlg_application_get_store_error (application);
      g_autofree char *description =
        g_strdup_printf (_("%s\n\nNothing was changed or deleted. Your data is in %s."),
                         store_error ? store_error->message : "",
                         dlg_application_get_data_dir (application));

      adw_status_page_set_description (self->error_page, description);
      gtk_stack_set_visible_child_name (self->main_stack, "error");
    }
  else if ((profile = dlg_store_load_profile (store, &error)) == NULL)
    gtk_stack_set_visible_child_name (self->main_stack, "welcome");
  else
    show_home (self);

  return self;
}

/**
 * dlg_window_get_assessment_page:
 *
 * Returns: (transfer none): the workspace, for tests
 */
DlgAssessmentPage *
dlg_window_get_assessment_page (DlgWindow *self)
{
  g_return_val_if_fail (DLG_IS_WINDOW (self), NULL);
  return self->assessment_page;
}

/**
 * dlg_window_get_visible_page:
 *
 * Returns: "welcome", "home", "assessment" or "error"
 */
const char *
dlg_window_get_visible_page (DlgWindow *self)
{
  g_return_val_if_fail (DLG_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->main_stack);
}

/**
 * dlg_window_get_assessment_id:
 *
 * Returns: (nullable): the id of the assessment shown
 */
const char *
dlg_window_get_assessment_id (DlgWindow *self)
{
  g_return_val_if_fail (DLG_IS_WINDOW (self), NULL);
  return self->assessment_id;
}
