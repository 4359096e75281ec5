/* dlg-window.c - the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window moves between the first-run profile, the list of assessments
 * and the workspace, and owns saving: every change to the open assessment
 * marks its question dirty, and a short debounce writes the dirty answers in
 * one transaction. There is no Save button. A failed write (disk full,
 * read-only) is shown, the changes stay in memory, and the write is retried
 * until it succeeds or the user quits. The assessment's action plan is saved
 * the same way, whole, in one transaction.
 *
 * The window also does what needs files or the store for the workspace:
 * evidence, the action plan's spreadsheet export and import, starting the
 * next period, and the periods for progress over time.
 */

#define G_LOG_DOMAIN "dlg-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dlg-assessment-page.h"
#include "dlg-home-page.h"
#include "dlg-inbox-page.h"
#include "dlg-new-assessment-window.h"
#include "dlg-outbox-page.h"
#include "dlg-welcome-page.h"
#include "dlg-window-private.h"
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
  DlgOutboxPage        *outbox_page;
  DlgInboxPage         *inbox_page;
  AdwStatusPage        *error_page;
  GtkWidget            *set_aside_button;
  GtkWidget            *restore_button;

  /* Owned references */
  GSettings            *settings;
  DlgAssessment        *assessment;
  char                 *assessment_id;
  GHashTable           *dirty;           /* question ids waiting to be saved */
  DlgActionPlan        *plan;
  gboolean              plan_dirty;
  guint                 save_id;
  AdwToast             *save_error_toast;
  guint                 damage_id;       /* shows the store's damage */
  DlgWindowReports     *reports;
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
static void
save_failed (DlgWindow    *self,
             const GError *error)
{
  g_autofree char *message = NULL;

  /* A damaged store will not heal: the error page says so (see
   * store_damaged_cb()), and the changes wait in memory for the user's
   * choice instead of being pushed at the damaged file every few seconds. */
  if (dlg_store_error_is_damage (error))
    {
      g_message ("Assessment %s not saved: %s", self->assessment_id, error->message);
      return;
    }

  message = g_strdup_printf (_("Changes not saved yet: %s. They are kept and saving is retried."),
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
}

/**
 * dlg_window_flush:
 *
 * Writes every pending change now: answers and the action plan.
 *
 * Returns: %TRUE if nothing is left unsaved
 */
gboolean
dlg_window_flush (DlgWindow *self)
{
  g_autoptr(GError) error = NULL;
  DlgStore *store = get_store (self);
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (DLG_IS_WINDOW (self), FALSE);

  g_clear_handle_id (&self->save_id, g_source_remove);

  if (store == NULL || self->assessment == NULL)
    return g_hash_table_size (self->dirty) == 0 && !self->plan_dirty;
  if (g_hash_table_size (self->dirty) == 0 && !self->plan_dirty)
    return TRUE;

  if (g_hash_table_size (self->dirty) > 0)
    {
      g_autoptr(GPtrArray) ids = g_ptr_array_new ();

      g_hash_table_iter_init (&iter, self->dirty);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_ptr_array_add (ids, key);
      g_ptr_array_add (ids, NULL);

      if (!dlg_store_save_answers (store, self->assessment_id, self->assessment,
                                   (const char * const *) ids->pdata, &error))
        {
          save_failed (self, error);
          return FALSE;
        }
      g_hash_table_remove_all (self->dirty);
    }

  if (self->plan_dirty)
    {
      if (!dlg_store_save_action_plan (store, self->assessment_id, self->plan, &error))
        {
          save_failed (self, error);
          return FALSE;
        }
      self->plan_dirty = FALSE;
    }

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
plan_changed_cb (DlgWindow *self)
{
  self->plan_dirty = TRUE;

  if (self->save_id == 0)
    self->save_id = g_timeout_add (SAVE_DELAY_MS, save_now_cb, self);
}

static void
close_assessment (DlgWindow *self)
{
  dlg_window_flush (self);

  if (self->plan != NULL)
    g_signal_handlers_disconnect_by_func (self->plan, plan_changed_cb, self);
  g_clear_object (&self->plan);
  self->plan_dirty = FALSE;

  if (self->assessment != NULL)
    g_signal_handlers_disconnect_by_func (self->assessment, assessment_changed_cb, self);
  g_clear_object (&self->assessment);
  g_clear_pointer (&self->assessment_id, g_free);
}

/* ------------------------------------------------------------------------ */
/* Pages                                                                    */
/* ------------------------------------------------------------------------ */

static void welcome_done_cb            (DlgWindow *self, DlgProfile *profile);
static void open_assessment_cb         (DlgWindow *self, const char *id);
static void delete_assessment_cb       (DlgWindow *self, const char *id);
static void attach_evidence_cb         (DlgWindow *self, const char *question_id);
static void open_evidence_cb           (DlgWindow *self, const char *question_id, const char *sha256);
static void remove_evidence_cb         (DlgWindow *self, const char *question_id, const char *sha256);
static void confirm_answers_cb         (DlgWindow *self, const char * const *question_ids);
static void attach_action_evidence_cb  (DlgWindow *self, const char *action_id);
static void open_action_evidence_cb    (DlgWindow *self, const char *action_id, const char *sha256);
static void progress_requested_cb      (DlgWindow *self);
static void inbox_open_document_cb     (DlgWindow *self, const char *id);
static void sync_status_cb             (DlgWindow *self);
static DlgSyncService *get_sync        (DlgWindow *self);

/* Each page is built the first time it is needed rather than with the
 * window: a returning user never sees the welcome page, and a new one sees
 * nothing else for a while. Building every page up front cost about a
 * tenth of the time to the first frame: their templates, and the icons of
 * pages nobody could see yet, two of them needing librsvg loaded. */
static void
add_page (DlgWindow  *self,
          GtkWidget  *page,
          const char *name)
{
  gtk_stack_add_named (self->main_stack, page, name);
}

static DlgWelcomePage *
get_welcome_page (DlgWindow *self)
{
  if (self->welcome_page == NULL)
    {
      self->welcome_page = DLG_WELCOME_PAGE (dlg_welcome_page_new ());
      g_signal_connect_swapped (self->welcome_page, "done", G_CALLBACK (welcome_done_cb), self);
      add_page (self, GTK_WIDGET (self->welcome_page), "welcome");
    }
  return self->welcome_page;
}

static DlgHomePage *
get_home_page (DlgWindow *self)
{
  if (self->home_page == NULL)
    {
      self->home_page = DLG_HOME_PAGE (dlg_home_page_new ());
      g_signal_connect_swapped (self->home_page, "open-assessment", G_CALLBACK (open_assessment_cb), self);
      g_signal_connect_swapped (self->home_page, "delete-assessment", G_CALLBACK (delete_assessment_cb), self);
      add_page (self, GTK_WIDGET (self->home_page), "home");
      sync_status_cb (self);
    }
  return self->home_page;
}

static DlgAssessmentPage *
get_assessment_page (DlgWindow *self)
{
  if (self->assessment_page == NULL)
    {
      static const struct { const char *signal; GCallback handler; } handlers[] = {
        { "attach-evidence", G_CALLBACK (attach_evidence_cb) },
        { "open-evidence", G_CALLBACK (open_evidence_cb) },
        { "remove-evidence", G_CALLBACK (remove_evidence_cb) },
        { "confirm-answers", G_CALLBACK (confirm_answers_cb) },
        { "attach-action-evidence", G_CALLBACK (attach_action_evidence_cb) },
        { "open-action-evidence", G_CALLBACK (open_action_evidence_cb) },
        { "progress-requested", G_CALLBACK (progress_requested_cb) },
      };

      self->assessment_page = DLG_ASSESSMENT_PAGE (dlg_assessment_page_new ());
      for (guint i = 0; i < G_N_ELEMENTS (handlers); i++)
        g_signal_connect_swapped (self->assessment_page, handlers[i].signal, handlers[i].handler, self);
      add_page (self, GTK_WIDGET (self->assessment_page), "assessment");
    }
  return self->assessment_page;
}

static DlgInboxPage *
get_inbox_page (DlgWindow *self)
{
  if (self->inbox_page == NULL)
    {
      DlgSyncService *sync = get_sync (self);

      self->inbox_page = DLG_INBOX_PAGE (dlg_inbox_page_new ());
      g_signal_connect_swapped (self->inbox_page, "open-document", G_CALLBACK (inbox_open_document_cb), self);
      if (sync != NULL)
        dlg_inbox_page_set_service (self->inbox_page, sync);
      add_page (self, GTK_WIDGET (self->inbox_page), "inbox");
    }
  return self->inbox_page;
}

static DlgOutboxPage *
get_outbox_page (DlgWindow *self)
{
  if (self->outbox_page == NULL)
    {
      DlgSyncService *sync = get_sync (self);

      self->outbox_page = DLG_OUTBOX_PAGE (dlg_outbox_page_new ());
      if (sync != NULL)
        dlg_outbox_page_set_service (self->outbox_page, sync);
      add_page (self, GTK_WIDGET (self->outbox_page), "outbox");
    }
  return self->outbox_page;
}

/* Shows one of the window's own pages, built if need be. */
static void
show_page (DlgWindow  *self,
           const char *name)
{
  if (g_str_equal (name, "welcome"))
    get_welcome_page (self);
  else if (g_str_equal (name, "home"))
    get_home_page (self);
  else if (g_str_equal (name, "assessment"))
    get_assessment_page (self);
  else if (g_str_equal (name, "inbox"))
    get_inbox_page (self);
  else if (g_str_equal (name, "outbox"))
    get_outbox_page (self);
  gtk_stack_set_visible_child_name (self->main_stack, name);
}

static void
show_home (DlgWindow *self)
{
  DlgStore *store = get_store (self);
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GPtrArray) questionnaires = NULL;
  g_autoptr(GError) error = NULL;

  /* The error page stays, and the open assessment with it (see
   * store_damaged_cb()). */
  if (store != NULL && dlg_store_is_damaged (store))
    return;

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
  dlg_home_page_set_assessments (get_home_page (self), infos, questionnaires);
  dlg_window_reports_home_shown (self);
  show_page (self, "home");
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

/* The plan and the answers to confirm, once the assessment is shown. A plan
 * that cannot be read is not replaced by an empty one: it stays in the
 * store as it is, and the page goes without. */
static void
open_plan (DlgWindow *self)
{
  DlgStore *store = get_store (self);
  DlgActionPlanPage *plan_page = dlg_assessment_page_get_action_plan_page (get_assessment_page (self));
  g_autoptr(GHashTable) unconfirmed = NULL;
  g_autoptr(DlgProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  profile = dlg_store_load_profile (store, NULL);
  if (profile != NULL)
    dlg_action_plan_page_set_user_name (plan_page, profile->contact_name ? profile->contact_name : profile->name);

  self->plan = dlg_store_load_action_plan (store, self->assessment_id, &error);
  if (self->plan == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The action plan could not be opened: %s"), error->message);
      toast (self, message);
      g_clear_error (&error);
    }
  else
    {
      g_signal_connect_swapped (self->plan, "changed", G_CALLBACK (plan_changed_cb), self);
      dlg_assessment_page_set_action_plan (get_assessment_page (self), self->plan);
    }

  unconfirmed = dlg_store_list_unconfirmed (store, self->assessment_id, &error);
  if (unconfirmed == NULL)
    toast (self, error->message);
  dlg_assessment_page_set_unconfirmed (get_assessment_page (self), unconfirmed);
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

  dlg_assessment_page_set_assessment (get_assessment_page (self), self->assessment, info->quick_scan, info->title);
  open_plan (self);
  dlg_window_reports_assessment_opened (self);
  show_page (self, "assessment");
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

/* GTK would build the shortcuts window with every window, had it come from
 * gtk/help-overlay.ui: some 5 ms of every start, for a window most starts
 * never show. It is built the first time it is asked for instead, and
 * then kept, as GTK keeps its own. */
static void
show_help_overlay_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (widget);
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (window);

  if (overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_BASE "/dlg-shortcuts-window.ui");

      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_application_window_set_help_overlay (window, overlay);
    }
  gtk_window_present (GTK_WINDOW (overlay));
}

static void
show_home_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DlgWindow *self = DLG_WINDOW (widget);
  const char *page = gtk_stack_get_visible_child_name (self->main_stack);

  /* The first run and the error page have no way back. */
  if (g_strcmp0 (page, "assessment") == 0 || g_strcmp0 (page, "report") == 0 ||
      g_strcmp0 (page, "outbox") == 0 || g_strcmp0 (page, "inbox") == 0)
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

  /* On the first run the profile comes first: an assessment names its
   * organisation. The questionnaire stays imported and is offered in New
   * Assessment once the profile is there. */
  if (g_strcmp0 (dlg_window_get_visible_page (self), "welcome") == 0)
    return;

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
open_stored_file (DlgWindow  *self,
                  const char *sha256,
                  const char *name)
{
  g_autoptr(GFile) stored = dlg_store_get_evidence_file (get_store (self), sha256);
  g_autofree char *dir_path = NULL;
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GFile) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

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
open_evidence_cb (DlgWindow  *self,
                  const char *question_id,
                  const char *sha256)
{
  const DlgAnswer *answer = dlg_assessment_get_answer (self->assessment, question_id);
  const char *name = sha256;

  for (guint i = 0; answer && answer->evidence && i < answer->evidence->len; i++)
    {
      DlgEvidenceRef *ref = g_ptr_array_index (answer->evidence, i);
      if (g_strcmp0 (ref->sha256, sha256) == 0)
        name = ref->name;
    }

  open_stored_file (self, sha256, name);
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
/* Action plan, next period, progress                                       */
/* ------------------------------------------------------------------------ */

/* Versions compared as people read them: "2026.10" after "2026.9". */
static char *
dlg_utf8_version_key (const char *version)
{
  return g_utf8_collate_key_for_filename (version ? version : "", -1);
}

static void
message (DlgWindow  *self,
         const char *heading,
         const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static GDate *
today (void)
{
  g_autofree char *iso = dlg_date_today ();
  GDate *date = g_date_new ();

  dlg_date_parse (iso, date);
  return date;
}

static const char *
assessment_language (DlgWindow *self)
{
  return dlg_language_pick (dlg_questionnaire_get_languages (dlg_assessment_get_questionnaire (self->assessment)));
}

static void
confirm_answers_cb (DlgWindow          *self,
                    const char * const *question_ids)
{
  g_autoptr(GError) error = NULL;

  /* A confirmation is a deliberate act: written at once, not debounced. */
  if (!dlg_store_confirm_answers (get_store (self), self->assessment_id, question_ids, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Could not confirm: %s"), error->message);
      toast (self, text);
      return;
    }
  dlg_assessment_page_mark_confirmed (get_assessment_page (self), question_ids);
}

static void
attach_action_response_cb (GtkNativeDialog *chooser,
                           int              response,
                           DlgWindow       *self)
{
  const char *action_id = g_object_get_data (G_OBJECT (chooser), "action-id");
  DlgAction *action = self->plan ? dlg_action_plan_lookup_action (self->plan, action_id) : NULL;

  if (response == GTK_RESPONSE_ACCEPT && action != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GError) error = NULL;

      if (!dlg_store_add_action_evidence (get_store (self), self->assessment_id, self->plan, action,
                                          file, NULL, &error))
        {
          g_autofree char *text = g_strdup_printf (_("Could not attach the file: %s"), error->message);
          toast (self, text);
        }
    }

  g_object_unref (chooser);
}

static void
attach_action_evidence_cb (DlgWindow  *self,
                           const char *action_id)
{
  GtkWidget *editor = dlg_action_plan_page_get_editor (dlg_assessment_page_get_action_plan_page (get_assessment_page (self)));
  GtkWindow *parent = editor ? GTK_WINDOW (editor) : GTK_WINDOW (self);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Attach Evidence"), parent,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Attach"), _("_Cancel"));
  g_object_set_data_full (G_OBJECT (chooser), "action-id", g_strdup (action_id), g_free);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (attach_action_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
open_action_evidence_cb (DlgWindow  *self,
                         const char *action_id,
                         const char *sha256)
{
  DlgAction *action = self->plan ? dlg_action_plan_lookup_action (self->plan, action_id) : NULL;
  GPtrArray *evidence = action ? dlg_action_get_evidence (action) : NULL;
  const char *name = sha256;

  for (guint i = 0; evidence && i < evidence->len; i++)
    {
      DlgEvidenceRef *ref = g_ptr_array_index (evidence, i);
      if (g_strcmp0 (ref->sha256, sha256) == 0)
        name = ref->name;
    }

  open_stored_file (self, sha256, name);
}

static void
progress_requested_cb (DlgWindow *self)
{
  g_autoptr(DlgAssessmentInfo) info = NULL;
  g_autoptr(GPtrArray) periods = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDate) date = today ();

  /* The period open counts as it is now, not as last saved. */
  dlg_window_flush (self);

  if (!(info = dlg_store_get_assessment_info (get_store (self), self->assessment_id, &error)) ||
      !(periods = dlg_store_list_periods (get_store (self), info->questionnaire_id, info->quick_scan,
                                          assessment_language (self), date, &error)))
    {
      g_autofree char *text = g_strdup_printf (_("Could not show progress: %s"), error->message);
      toast (self, text);
      return;
    }

  dlg_assessment_page_set_periods (get_assessment_page (self), periods, self->assessment_id);
}

/**
 * dlg_window_get_action_plan:
 *
 * Returns: (transfer none) (nullable): the plan of the assessment shown
 */
DlgActionPlan *
dlg_window_get_action_plan (DlgWindow *self)
{
  g_return_val_if_fail (DLG_IS_WINDOW (self), NULL);
  return self->plan;
}

/**
 * dlg_window_export_action_plan:
 * @file: where to write the spreadsheet
 *
 * Writes the plan's actions as CSV for a spreadsheet: UTF-8 with a
 * byte-order mark, formulas neutralised. The file is complete or absent.
 */
gboolean
dlg_window_export_action_plan (DlgWindow  *self,
                               GFile      *file,
                               GError    **error)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *csv = NULL;
  g_autoptr(GDate) date = today ();
  gsize length;

  g_return_val_if_fail (DLG_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (self->plan != NULL, FALSE);

  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Only local files can be written."));
      return FALSE;
    }

  csv = dlg_action_plan_to_csv (self->plan, dlg_assessment_get_questionnaire (self->assessment),
                                assessment_language (self), date, DLG_PLAN_CSV_BOM, &length);
  return g_file_set_contents_full (path, csv, length,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0644, error);
}

static void
export_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    DlgWindow       *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->plan != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GError) error = NULL;

      if (!dlg_window_export_action_plan (self, file, &error))
        message (self, _("The Spreadsheet Was Not Saved"), error->message);
      else
        toast (self, _("Action plan exported"));
    }

  g_object_unref (chooser);
}

static void
export_action_plan_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  DlgWindow *self = DLG_WINDOW (widget);
  g_autoptr(DlgAssessmentInfo) info = NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  if (self->plan == NULL)
    return;

  info = dlg_store_get_assessment_info (get_store (self), self->assessment_id, NULL);
  /* TRANSLATORS: the suggested file name of an exported action plan */
  name = g_strdup_printf (_("%s — action plan.csv"), info ? info->title : _("Assessment"));
  g_strdelimit (name, "/\\:", '-');

  chooser = gtk_file_chooser_native_new (_("Export Action Plan"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_file_filter_set_name (filter, _("Spreadsheets (CSV)"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static char *
describe_change (const DlgPlanChange *change)
{
  switch (change->kind)
    {
    case DLG_PLAN_CHANGE_STATUS:
      {
        DlgActionStatus from = 0, to = 0;

        dlg_action_status_from_string (change->old_value, &from);
        dlg_action_status_from_string (change->new_value, &to);
        /* TRANSLATORS: line, action title, old status → new status */
        return g_strdup_printf (_("Line %u, “%s”: status %s → %s"), change->line, change->action_title,
                                dlg_action_status_get_label (from), dlg_action_status_get_label (to));
      }
    case DLG_PLAN_CHANGE_NOTE:
      return g_strdup_printf (_("Line %u, “%s”: new note “%s”"), change->line, change->action_title, change->new_value);
    case DLG_PLAN_CHANGE_FIELD:
    default:
      /* TRANSLATORS: line, action title, field, old value → new value */
      return g_strdup_printf (_("Line %u, “%s”: %s “%s” → “%s”"), change->line, change->action_title,
                              dlg_action_field_get_label (change->field),
                              change->old_value ? change->old_value : "", change->new_value ? change->new_value : "");
    }
}

static void
import_preview_response_cb (AdwMessageDialog *dialog,
                            const char       *response,
                            DlgWindow        *self)
{
  DlgPlanImport *import = g_object_get_data (G_OBJECT (dialog), "import");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint n = dlg_plan_import_get_changes (import)->len;

  if (g_strcmp0 (response, "import") != 0)
    return;

  if (self->plan == NULL || !dlg_plan_import_apply (import, self->plan, &error))
    {
      message (self, _("Nothing Was Imported"), error ? error->message : _("The assessment was closed."));
      return;
    }

  /* All of it is on disk before saying so. */
  dlg_window_flush (self);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u change imported", "%u changes imported", n), n);
  toast (self, text);
}

/**
 * dlg_window_import_action_plan:
 * @file: a spreadsheet exported from the plan and edited
 *
 * Reads @file and shows every change it would make, and every problem;
 * nothing changes until the user confirms, and a file with any error is
 * refused whole.
 */
void
dlg_window_import_action_plan (DlgWindow *self,
                               GFile     *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDate) date = today ();
  DlgPlanImport *import;
  GPtrArray *changes, *problems;
  GtkWidget *dialog, *box, *scroller;
  guint n_errors = 0;

  g_return_if_fail (DLG_IS_WINDOW (self));

  if (self->plan == NULL)
    return;

  heading = g_strdup_printf (_("Import “%s”?"), name);
  if (path == NULL || !(bytes = dlg_file_read (path, DLG_CSV_MAX_SIZE, &error)) ||
      !(import = dlg_plan_import_new (self->plan, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), date, &error)))
    {
      g_autofree char *refused = g_strdup_printf (_("“%s” Cannot Be Imported"), name);
      message (self, refused, error ? error->message : _("Only local files can be opened."));
      return;
    }

  changes = dlg_plan_import_get_changes (import);
  problems = dlg_plan_import_get_problems (import);
  for (guint i = 0; i < problems->len; i++)
    n_errors += ((DlgDiagnostic *) g_ptr_array_index (problems, i))->severity == DLG_SEVERITY_ERROR;

  if (n_errors > 0)
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "The file has %u error. Nothing will be imported until it is corrected.",
                                         "The file has %u errors. Nothing will be imported until they are corrected.",
                                         n_errors), n_errors);
  else if (changes->len == 0)
    body = g_strdup (_("The file changes nothing in the plan."));
  else
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u change, from %u rows. Check them before importing.",
                                         "%u changes, from %u rows. Check them before importing.",
                                         changes->len),
                            changes->len, dlg_plan_import_get_n_rows (import));

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  /* Problems first, each with an icon and a word; then the changes. */
  for (guint i = 0; i < problems->len; i++)
    {
      DlgDiagnostic *d = g_ptr_array_index (problems, i);
      GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *icon = gtk_image_new_from_icon_name (d->severity == DLG_SEVERITY_ERROR ? "dialog-error-symbolic"
                                                                                        : "dialog-warning-symbolic");
      g_autofree char *text = g_strdup_printf ("%s: %s", d->severity == DLG_SEVERITY_ERROR ? _("Error") : _("Warning"),
                                               d->message);
      GtkWidget *label = gtk_label_new (text);

      gtk_accessible_update_state (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
      gtk_widget_add_css_class (line, d->severity == DLG_SEVERITY_ERROR ? "error" : "warning");
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_valign (icon, GTK_ALIGN_START);
      gtk_box_append (GTK_BOX (line), icon);
      gtk_box_append (GTK_BOX (line), label);
      gtk_box_append (GTK_BOX (box), line);
    }
  for (guint i = 0; i < changes->len; i++)
    {
      g_autofree char *text = describe_change (g_ptr_array_index (changes, i));
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_box_append (GTK_BOX (box), label);
    }

  if (problems->len + changes->len > 0)
    {
      scroller = gtk_scrolled_window_new ();
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), box);
      gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 320);
      gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scroller);
    }
  else
    g_object_unref (g_object_ref_sink (box));

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "import", _("_Import"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "import", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "import", n_errors == 0 && changes->len > 0);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "import", import, (GDestroyNotify) dlg_plan_import_free);
  g_signal_connect (dialog, "response", G_CALLBACK (import_preview_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
import_plan_response_cb (GtkNativeDialog *chooser,
                         int              response,
                         DlgWindow       *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      dlg_window_import_action_plan (self, file);
    }

  g_object_unref (chooser);
}

static void
import_action_plan_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  DlgWindow *self = DLG_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  if (self->plan == NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Import Action Plan"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Spreadsheets (CSV)"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (import_plan_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/**
 * dlg_window_start_next_period:
 * @questionnaire: (nullable): a newer version of the questionnaire, or
 *   %NULL to keep the version of the assessment shown
 * @title: the new assessment's title
 * @period: the new period
 *
 * Starts the next period from the assessment shown and opens it. Answers
 * that could not be carried over are listed in a dialog.
 *
 * Returns: (transfer full): the new assessment's id, or %NULL
 */
char *
dlg_window_start_next_period (DlgWindow         *self,
                              DlgQuestionnaire  *questionnaire,
                              const char        *title,
                              const char        *period,
                              GError           **error)
{
  g_autoptr(GPtrArray) not_carried = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (DLG_IS_WINDOW (self), NULL);
  g_return_val_if_fail (self->assessment_id != NULL, NULL);

  /* What is on screen is what carries over. */
  if (!dlg_window_flush (self))
    {
      g_set_error_literal (error, DLG_STORE_ERROR, DLG_STORE_ERROR_FAILED,
                           _("The latest changes are not saved yet; try again once they are."));
      return NULL;
    }

  id = dlg_store_start_next_period (get_store (self), self->assessment_id, questionnaire, title, period,
                                    &not_carried, error);
  if (id == NULL)
    return NULL;

  dlg_window_open_assessment (self, id);

  if (not_carried->len > 0)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *body =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%u answer of the last period could not be carried over; answer it again:",
                                      "%u answers of the last period could not be carried over; answer them again:",
                                      not_carried->len),
                         not_carried->len);
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Not Everything Was Carried Over"), body);
      GtkWidget *label, *scroller;

      for (guint i = 0; i < not_carried->len; i++)
        {
          DlgNotCarried *item = g_ptr_array_index (not_carried, i);
          g_string_append_printf (text, "%s• %s — %s", i ? "\n" : "", item->question_text, item->reason);
        }
      label = gtk_label_new (text->str);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      scroller = gtk_scrolled_window_new ();
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), label);
      gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 280);
      gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scroller);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }

  return g_steal_pointer (&id);
}

/* The newest other version of the questionnaire of the assessment shown,
 * built in or imported, if there is one. */
static DlgQuestionnaire *
newer_version (DlgWindow *self)
{
  DlgQuestionnaire *current = dlg_assessment_get_questionnaire (self->assessment);
  g_autoptr(GPtrArray) all = available_questionnaires (self, NULL);
  g_autofree char *best_key = dlg_utf8_version_key (dlg_questionnaire_get_version (current));
  DlgQuestionnaire *best = NULL;

  for (guint i = 0; i < all->len; i++)
    {
      DlgQuestionnaire *q = g_ptr_array_index (all, i);
      g_autofree char *key = NULL;

      if (g_strcmp0 (dlg_questionnaire_get_id (q), dlg_questionnaire_get_id (current)) != 0)
        continue;
      key = dlg_utf8_version_key (dlg_questionnaire_get_version (q));
      if (strcmp (key, best_key) > 0)
        {
          best = q;
          g_free (best_key);
          best_key = g_steal_pointer (&key);
        }
    }

  return best ? g_object_ref (best) : NULL;
}

/* "2026" → "2027"; anything else is left for the user to change. */
static char *
next_period_name (const char *period)
{
  guint64 year;

  if (period != NULL && g_ascii_string_to_unsigned (period, 10, 1900, 9998, &year, NULL))
    return g_strdup_printf ("%" G_GUINT64_FORMAT, year + 1);
  return g_strdup (period ? period : "");
}

static void
next_period_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         DlgWindow        *self)
{
  GtkEditable *title = g_object_get_data (G_OBJECT (dialog), "title");
  GtkEditable *period = g_object_get_data (G_OBJECT (dialog), "period");
  GtkCheckButton *use_newer = g_object_get_data (G_OBJECT (dialog), "use-newer");
  DlgQuestionnaire *newer = g_object_get_data (G_OBJECT (dialog), "newer");
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  if (g_strcmp0 (response, "start") != 0 || self->assessment_id == NULL)
    return;

  id = dlg_window_start_next_period (self, use_newer && gtk_check_button_get_active (use_newer) ? newer : NULL,
                                     gtk_editable_get_text (title), gtk_editable_get_text (period), &error);
  if (id == NULL)
    message (self, _("The Next Period Was Not Started"), error->message);
}

static void
next_period_title_cb (GtkEditable      *entry,
                      AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "start", *text != '\0');
}

static void
start_next_period_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  DlgWindow *self = DLG_WINDOW (widget);
  g_autoptr(DlgAssessmentInfo) info = NULL;
  g_autoptr(DlgQuestionnaire) newer = NULL;
  g_autofree char *period = NULL;
  g_autofree char *title = NULL;
  GtkWidget *dialog, *box, *title_entry, *period_entry, *check = NULL;
  guint n_open = 0;

  if (self->assessment_id == NULL ||
      !(info = dlg_store_get_assessment_info (get_store (self), self->assessment_id, NULL)))
    return;

  period = next_period_name (info->period);
  if (info->period != NULL && *info->period != '\0' && strstr (info->title, info->period) != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (info->title, info->period, -1);
      title = g_strjoinv (period, parts);
    }
  else
    title = g_strdup_printf ("%s %s", info->title, period);

  if (self->plan != NULL)
    dlg_action_plan_count (self->plan, NULL, &n_open, NULL, NULL, NULL);

  {
    g_autofree char *body =
      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                    "A new assessment with this one's answers, each to confirm or change, and the %u open action.",
                                    "A new assessment with this one's answers, each to confirm or change, and the %u open actions.",
                                    n_open),
                       n_open);
    dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Start Next Period?"), body);
  }

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  title_entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (title_entry), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (title_entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Title"), -1);
  gtk_entry_set_placeholder_text (GTK_ENTRY (title_entry), _("Title"));
  period_entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (period_entry), period);
  gtk_accessible_update_property (GTK_ACCESSIBLE (period_entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Period"), -1);
  gtk_entry_set_placeholder_text (GTK_ENTRY (period_entry), _("Period, e.g. 2027"));
  gtk_entry_set_activates_default (GTK_ENTRY (period_entry), TRUE);
  gtk_box_append (GTK_BOX (box), title_entry);
  gtk_box_append (GTK_BOX (box), period_entry);

  newer = newer_version (self);
  if (newer != NULL)
    {
      g_autofree char *label = g_strdup_printf (_("Use version %s of the questionnaire (answers are matched by question)"),
                                                dlg_questionnaire_get_version (newer));

      check = gtk_check_button_new_with_label (label);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      gtk_box_append (GTK_BOX (box), check);
      g_object_set_data_full (G_OBJECT (dialog), "newer", g_object_ref (newer), g_object_unref);
    }

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "start", _("_Start"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "start", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "start");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "title", title_entry);
  g_object_set_data (G_OBJECT (dialog), "period", period_entry);
  g_object_set_data (G_OBJECT (dialog), "use-newer", check);
  g_signal_connect (title_entry, "changed", G_CALLBACK (next_period_title_cb), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (next_period_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------------ */
/* Sync                                                                     */
/* ------------------------------------------------------------------------ */

static DlgSyncService *
get_sync (DlgWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return app ? dlg_application_get_sync_service (DLG_APPLICATION (app)) : NULL;
}

static void
sync_status_cb (DlgWindow *self)
{
  DlgSyncService *sync = get_sync (self);

  if (sync != NULL && self->home_page != NULL)
    dlg_home_page_set_sync_status (self->home_page, dlg_sync_service_get_n_pending (sync),
                                   dlg_sync_service_get_n_rejected (sync), dlg_sync_service_get_n_unread (sync));
}

/**
 * dlg_window_show_outbox:
 *
 * Shows every signed document and what became of it.
 */
void
dlg_window_show_outbox (DlgWindow *self)
{
  DlgSyncService *sync = get_sync (self);
  g_autoptr(GError) error = NULL;

  g_return_if_fail (DLG_IS_WINDOW (self));

  if (sync == NULL)
    return;

  close_assessment (self);
  /* Documents queued in the store by another way than the outbox. */
  if (dlg_sync_service_refresh_outbox (sync, &error) == 0 && error != NULL)
    toast (self, error->message);
  show_page (self, "outbox");
}

static void
show_outbox_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  dlg_window_show_outbox (DLG_WINDOW (widget));
}

/**
 * dlg_window_show_inbox:
 *
 * Shows the reports and reviews received, by sync or as files.
 */
void
dlg_window_show_inbox (DlgWindow *self)
{
  g_return_if_fail (DLG_IS_WINDOW (self));

  if (get_sync (self) == NULL)
    return;

  close_assessment (self);
  show_page (self, "inbox");
}

static void
show_inbox_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  dlg_window_show_inbox (DLG_WINDOW (widget));
}

/* A received report or review was activated in the inbox (and marked
 * read). Until the report view exists, its verified header is shown:
 * sender, kind, signature, dates and id. The exact bytes, verified as a
 * file would be, are dlg_inbox_get_bytes (dlg_sync_service_get_inbox
 * (sync), id, &error). */
static void
inbox_open_document_cb (DlgWindow  *self,
                        const char *id)
{
  DlgSyncService *sync = get_sync (self);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  /* Received by sync or by file, a document opens in the same report view,
   * verified the same way; the details stay as a fallback. */
  if (sync != NULL && dlg_sync_service_get_inbox (sync) != NULL)
    bytes = dlg_inbox_get_bytes (dlg_sync_service_get_inbox (sync), id, &error);
  if (bytes == NULL)
    {
      if (error != NULL)
        g_message ("Document %s could not be read: %s", id, error->message);
      dlg_inbox_page_show_details (get_inbox_page (self), id);
      return;
    }
  dlg_window_open_signed_bytes (self, bytes);
}

static void
connect_sync (DlgWindow *self)
{
  DlgSyncService *sync = get_sync (self);

  if (sync == NULL)
    {
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-outbox", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-inbox", FALSE);
      return;
    }

  /* Also when the store appears later, restored or started afresh. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-outbox", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-inbox", TRUE);
  if (self->outbox_page != NULL)
    dlg_outbox_page_set_service (self->outbox_page, sync);
  if (self->inbox_page != NULL)
    dlg_inbox_page_set_service (self->inbox_page, sync);
  g_signal_connect_object (sync, "notify::n-pending", G_CALLBACK (sync_status_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sync, "notify::n-rejected", G_CALLBACK (sync_status_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sync, "notify::n-unread", G_CALLBACK (sync_status_cb), self, G_CONNECT_SWAPPED);
  sync_status_cb (self);
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

  g_clear_pointer (&self->reports, dlg_window_reports_free);
  close_assessment (self);
  g_clear_handle_id (&self->save_id, g_source_remove);
  g_clear_handle_id (&self->damage_id, g_source_remove);
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

/* ------------------------------------------------------------------------ */
/* Damaged data                                                             */
/* ------------------------------------------------------------------------ */

static void show_restore_choice (DlgWindow *self,
                                 gboolean   damaged);

/* What would leave the error page while the store is damaged, and so
 * close the open assessment with the changes that could not be saved. */
static const char * const store_actions[] = {
  "win.show-home", "win.new-assessment", "win.import-questionnaire",
  "win.start-next-period", "win.show-outbox", "win.show-inbox",
};

static void
set_store_actions_enabled (DlgWindow *self,
                           gboolean   enabled)
{
  for (guint i = 0; i < G_N_ELEMENTS (store_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), store_actions[i], enabled);
}

/* The error page, for a store that could not be opened (@in_use FALSE:
 * the store's own message) or one found damaged while in use (in words
 * about what the user just saw happen, without SQLite's). */
static void
show_store_error (DlgWindow    *self,
                  const GError *store_error,
                  gboolean      in_use)
{
  DlgApplication *app = DLG_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  gboolean damage = dlg_store_error_is_damage (store_error);
  gboolean gone = g_error_matches (store_error, DLG_STORE_ERROR, DLG_STORE_ERROR_MISSING);
  g_autofree char *description = NULL;

  if (in_use)
    {
      adw_status_page_set_title (self->error_page,
                                 gone ? _("Your Data File Is Gone") : _("Your Data File Is Damaged"));
      description = g_strdup_printf (gone ? _("Another program deleted or replaced the data file while you "
                                              "were working, so Diligence stopped saving to it. Your latest "
                                              "changes are kept in this window until you choose below; "
                                              "nothing was deleted. Your data is in %s.")
                                          : _("Diligence found its data file damaged while you were working, "
                                              "and stopped saving to it so that it is not damaged further. "
                                              "Your latest changes are kept in this window until you choose "
                                              "below; nothing was deleted. Your data is in %s."),
                                     dlg_application_get_data_dir (app));
      set_store_actions_enabled (self, FALSE);
    }
  else
    description = g_strdup_printf (_("%s\n\nNothing was changed or deleted. Your data is in %s."),
                                   store_error ? store_error->message : "",
                                   dlg_application_get_data_dir (app));

  adw_status_page_set_description (self->error_page, description);
  adw_status_page_set_icon_name (self->error_page, "dialog-error-symbolic");
  gtk_stack_set_visible_child_name (self->main_stack, "error");
  /* Only a damaged or lost file is worth setting aside; a newer schema
   * needs a newer Diligence, and a permission problem needs fixing first. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.set-damaged-data-aside", damage);
  gtk_widget_set_visible (self->set_aside_button, damage);
  show_restore_choice (self, damage);
  if (in_use)
    gtk_widget_grab_focus (gtk_widget_get_visible (self->restore_button) ? self->restore_button
                                                                         : self->set_aside_button);
}

static gboolean
show_damage_cb (gpointer user_data)
{
  DlgWindow *self = user_data;
  DlgStore *store = get_store (self);

  self->damage_id = 0;
  if (store != NULL && dlg_store_is_damaged (store))
    show_store_error (self, dlg_store_get_damage (store), TRUE);
  return G_SOURCE_REMOVE;
}

/* The store met damage (DlgStore:damaged), inside whichever call found
 * it: saving stops here, and the page is shown once that call is over,
 * so that nothing after it in that call shows another page. */
static void
store_damaged_cb (DlgWindow *self)
{
  g_clear_handle_id (&self->save_id, g_source_remove);
  if (self->save_error_toast != NULL)
    adw_toast_dismiss (self->save_error_toast);
  set_store_actions_enabled (self, FALSE);
  if (self->damage_id == 0)
    self->damage_id = g_idle_add (show_damage_cb, self);
}

static void watch_store (DlgWindow *self);

/* Another window restored or set aside the damaged store while this one
 * still showed its error page: there is nothing left to recover here. */
static gboolean
recovered_elsewhere (DlgWindow *self)
{
  DlgStore *store = get_store (self);

  if (store == NULL || dlg_store_is_damaged (store))
    return FALSE;
  g_hash_table_remove_all (self->dirty);
  self->plan_dirty = FALSE;
  set_store_actions_enabled (self, TRUE);
  watch_store (self);
  connect_sync (self);
  show_home (self);
  return TRUE;
}

static void
watch_store (DlgWindow *self)
{
  DlgStore *store = get_store (self);

  if (store != NULL)
    g_signal_connect_object (store, "notify::damaged", G_CALLBACK (store_damaged_cb), self,
                             G_CONNECT_SWAPPED);
}

/* After a restore: the assessment that was open when the store was found
 * damaged is written whole, as it is in memory, into the restored store,
 * if the copy has it. What could not be written is dropped either way.
 * Returns its title if it was kept. */
static char *
reapply_open_assessment (DlgWindow *self)
{
  DlgStore *store = get_store (self);
  g_autoptr(DlgAssessmentInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  char *title = NULL;

  if (self->assessment != NULL && store != NULL &&
      (info = dlg_store_get_assessment_info (store, self->assessment_id, NULL)) != NULL)
    {
      DlgQuestionnaire *q = dlg_assessment_get_questionnaire (self->assessment);
      g_autoptr(GPtrArray) ids = g_ptr_array_new ();

      /* Every question, answered or not: the store removes what is no
       * longer answered, so the assessment is exactly as it is shown. */
      for (guint i = 0; i < dlg_questionnaire_get_n_questions (q); i++)
        g_ptr_array_add (ids, (gpointer) dlg_questionnaire_get_question (q, i)->id);
      g_ptr_array_add (ids, NULL);

      if (dlg_store_save_answers (store, self->assessment_id, self->assessment,
                                  (const char * const *) ids->pdata, &error) &&
          (self->plan == NULL || dlg_store_save_action_plan (store, self->assessment_id, self->plan, &error)))
        title = g_strdup (info->title);
      else
        g_message ("The open assessment could not be put back: %s", error->message);
    }

  g_hash_table_remove_all (self->dirty);
  self->plan_dirty = FALSE;
  return title;
}

static void
set_aside_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       DlgWindow        *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autofree char *aside = NULL;
  g_autofree char *message = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "set-aside") != 0)
    return;

  dlg_application_close_damaged_store (DLG_APPLICATION (app));
  if (recovered_elsewhere (self))
    return;
  if (!dlg_application_start_afresh (DLG_APPLICATION (app), &aside, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Nothing was changed: %s"), error->message);

      toast (self, text);
      return;
    }

  name = g_path_get_basename (aside);
  message = g_strdup_printf (_("The damaged data is kept as “%s”"), name);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.set-damaged-data-aside", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.restore-backup", FALSE);
  /* Starting afresh keeps nothing of the open assessment. */
  g_hash_table_remove_all (self->dirty);
  self->plan_dirty = FALSE;
  close_assessment (self);
  set_store_actions_enabled (self, TRUE);
  watch_store (self);
  connect_sync (self);
  show_page (self, "welcome");
  toast (self, message);
}

/* The copy's date as the user reads dates, in local time. */
static char *
format_backup_date (const DlgStoreBackup *backup)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (backup->made_at);

  return g_date_time_format (local, "%x %H:%M");
}

static void
restore_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     DlgWindow        *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(DlgStoreBackup) backup = NULL;
  g_autoptr(DlgProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *damaged = NULL;
  g_autofree char *date = NULL;
  g_autofree char *body = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *kept_id = NULL;
  GtkWidget *done;

  if (g_strcmp0 (response, "restore") != 0)
    return;

  dlg_application_close_damaged_store (DLG_APPLICATION (app));
  if (recovered_elsewhere (self))
    return;
  if (!dlg_application_restore_backup (DLG_APPLICATION (app), &backup, &damaged, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The copy could not be restored: %s"), error->message);

      g_message ("%s", text);
      toast (self, text);
      return;
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.set-damaged-data-aside", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.restore-backup", FALSE);
  set_store_actions_enabled (self, TRUE);
  watch_store (self);
  connect_sync (self);
  kept = reapply_open_assessment (self);
  kept_id = kept ? g_strdup (self->assessment_id) : NULL;
  profile = dlg_store_load_profile (get_store (self), NULL);
  if (profile != NULL)
    show_home (self);
  else
    show_page (self, "welcome");
  if (profile != NULL && kept_id != NULL)
    dlg_window_open_assessment (self, kept_id);

  /* What was lost and what was kept, in words that stay until read: a
   * toast would be gone before the path could be noted. */
  date = format_backup_date (backup);
  if (damaged != NULL)
    body = g_strdup_printf (_("Your data is back as it was on %s. Changes made after that are not in it. "
                              "The damaged file is kept as %s."), date, damaged);
  else
    body = g_strdup_printf (_("Your data is back as it was on %s. Changes made after that are not in it."), date);
  if (kept != NULL)
    {
      g_autofree char *more = g_strdup_printf (_("The assessment that was open, “%s”, is kept as you left it."),
                                               kept);
      g_autofree char *both = g_strconcat (body, " ", more, NULL);

      g_free (body);
      body = g_steal_pointer (&both);
    }
  done = adw_message_dialog_new (GTK_WINDOW (self), _("Copy Restored"), body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (done), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (done));
}

static void
restore_backup_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  DlgWindow *self = DLG_WINDOW (widget);
  DlgApplication *app = DLG_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(DlgStoreBackup) backup = dlg_application_get_last_backup (app);
  g_autofree char *date = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (backup == NULL)
    return;

  /* As for setting aside: say what is lost, and that nothing is deleted. */
  date = format_backup_date (backup);
  heading = g_strdup_printf (_("Restore the Copy of %s?"), date);
  body = g_strdup_printf (_("Diligence will put back your data as it was on %s, when it was last found intact. "
                            "Changes made after that are lost. The damaged file is not deleted: it is renamed "
                            "to “diligence.sqlite.damaged-DATE” and stays in %s."),
                          date, dlg_application_get_data_dir (app));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "restore", _("_Restore"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "restore",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (restore_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
set_damaged_data_aside_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  DlgWindow *self = DLG_WINDOW (widget);
  DlgApplication *app = DLG_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  DlgStore *store = dlg_application_get_store (app);
  const GError *store_error = store ? dlg_store_get_damage (store) : dlg_application_get_store_error (app);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  /* Say exactly what happens to the files: users worried about their data
   * must know that nothing is deleted and where to find it. */
  if (g_error_matches (store_error, DLG_STORE_ERROR, DLG_STORE_ERROR_MISSING))
    body = g_strdup_printf (_("Diligence will start with empty data. Nothing is deleted: whatever is in the "
                              "place of the data file is renamed to “diligence.sqlite.damaged-DATE”, and the "
                              "copies of your data stay in %s."),
                            dlg_application_get_data_dir (app));
  else
    body = g_strdup_printf (_("Diligence will rename its data file to “diligence.sqlite.damaged-DATE” and "
                            "start with empty data. Nothing is deleted: the damaged file stays in %s, "
                            "where recovery tools or support can still read it."),
                          dlg_application_get_data_dir (app));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Set Damaged Data Aside?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "set-aside", _("_Set Aside and Start Again"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "set-aside",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (set_aside_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * dlg_window_set_damaged_data_aside:
 *
 * Does what the error page's button does once the user has confirmed: for
 * tests, which cannot click through the confirmation.
 */
void
dlg_window_set_damaged_data_aside (DlgWindow *self)
{
  g_return_if_fail (DLG_IS_WINDOW (self));
  set_aside_response_cb (NULL, "set-aside", self);
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

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dlg-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DlgWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DlgWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, DlgWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, DlgWindow, set_aside_button);
  gtk_widget_class_bind_template_child (widget_class, DlgWindow, restore_button);

  gtk_widget_class_install_action (widget_class, "win.set-damaged-data-aside", NULL, set_damaged_data_aside_action);
  gtk_widget_class_install_action (widget_class, "win.restore-backup", NULL, restore_backup_action);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, show_help_overlay_action);
  gtk_widget_class_install_action (widget_class, "win.show-home", NULL, show_home_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.show-home", NULL);
  gtk_widget_class_install_action (widget_class, "win.new-assessment", NULL, new_assessment_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-assessment", NULL);
  gtk_widget_class_install_action (widget_class, "win.import-questionnaire", NULL, import_questionnaire_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.import-questionnaire", NULL);
  gtk_widget_class_install_action (widget_class, "win.export-action-plan", NULL, export_action_plan_action);
  gtk_widget_class_install_action (widget_class, "win.import-action-plan", NULL, import_action_plan_action);
  gtk_widget_class_install_action (widget_class, "win.start-next-period", NULL, start_next_period_action);

  dlg_window_reports_class_init (widget_class);
  gtk_widget_class_install_action (widget_class, "win.show-outbox", NULL, show_outbox_action);
  gtk_widget_class_install_action (widget_class, "win.show-inbox", NULL, show_inbox_action);
}

static void
dlg_window_init (DlgWindow *self)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->dirty = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->reports = dlg_window_reports_new (self);

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

/* A damaged store with a last good copy: the error page offers it first,
 * named by its date. */
static void
show_restore_choice (DlgWindow *self,
                     gboolean   damaged)
{
  DlgApplication *app = DLG_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(DlgStoreBackup) backup = damaged ? dlg_application_get_last_backup (app) : NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.restore-backup", backup != NULL);
  gtk_widget_set_visible (self->restore_button, backup != NULL);
  if (backup != NULL)
    {
      g_autofree char *date = format_backup_date (backup);
      g_autofree char *label = g_strdup_printf (_("_Restore Copy of %s…"), date);

      gtk_button_set_label (GTK_BUTTON (self->restore_button), label);
    }
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
  connect_sync (self);

  watch_store (self);

  if (store == NULL)
    show_store_error (self, dlg_application_get_store_error (application), FALSE);
  else if ((profile = dlg_store_load_profile (store, &error)) == NULL)
    show_page (self, "welcome");
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
  return get_assessment_page (self);
}

/**
 * dlg_window_get_visible_page:
 *
 * Returns: "welcome", "home", "assessment", "report" or "error"
 * Returns: "welcome", "home", "assessment", "inbox", "outbox" or "error"
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

/* ------------------------------------------------------------------------ */
/* For dlg-window-reports.c                                                 */
/* ------------------------------------------------------------------------ */

DlgStore *
dlg_window_get_store (DlgWindow *self)
{
  return get_store (self);
}

GtkStack *
dlg_window_get_main_stack (DlgWindow *self)
{
  return self->main_stack;
}

DlgHomePage *
dlg_window_get_home_page (DlgWindow *self)
{
  return get_home_page (self);
}

DlgWindowReports *
dlg_window_get_reports (DlgWindow *self)
{
  return self->reports;
}

void
dlg_window_add_toast (DlgWindow *self,
                      AdwToast  *toast_)
{
  adw_toast_overlay_add_toast (self->toast_overlay, toast_);
}

void
dlg_window_show_message (DlgWindow  *self,
                         const char *heading,
                         const char *body)
{
  message (self, heading, body);
}
