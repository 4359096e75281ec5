/* dlg-application.c - the application: app-wide actions, windows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dlg-application"

#include "config.h"

#include <glib/gi18n.h>

#include "dlg-application.h"
#include "dlg-core.h"
#include "dlg-window.h"

struct _DlgApplication
{
  AdwApplication  parent_instance;

  /* Owned references */
  GPtrArray      *questionnaires;
};

G_DEFINE_FINAL_TYPE (DlgApplication, dlg_application, ADW_TYPE_APPLICATION)

DlgApplication *
dlg_application_new (void)
{
  return g_object_new (DLG_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
}

/**
 * dlg_application_get_questionnaires:
 *
 * Returns: (transfer none) (element-type DlgQuestionnaire): the
 *   questionnaires the user can start an assessment from
 */
GPtrArray *
dlg_application_get_questionnaires (DlgApplication *self)
{
  g_return_val_if_fail (DLG_IS_APPLICATION (self), NULL);

  if (self->questionnaires == NULL)
    {
      g_autoptr(GError) error = NULL;

      self->questionnaires = dlg_builtin_load_questionnaires (&error);
      if (self->questionnaires == NULL)
        {
          /* A broken built-in is our bug; the app still starts. */
          g_critical ("Could not load the built-in questionnaires: %s", error->message);
          self->questionnaires = g_ptr_array_new_with_free_func (g_object_unref);
        }
    }

  return self->questionnaires;
}

static void
dlg_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (dlg_window_new (DLG_APPLICATION (app)));

  gtk_window_present (window);
}

static void
dlg_application_dispose (GObject *object)
{
  DlgApplication *self = (DlgApplication *)object;

  g_clear_pointer (&self->questionnaires, g_ptr_array_unref);

  G_OBJECT_CLASS (dlg_application_parent_class)->dispose (object);
}

static void
dlg_application_class_init (DlgApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = dlg_application_dispose;
  app_class->activate = dlg_application_activate;
}

static void
dlg_application_about_action (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  static const char *developers[] = { "The Diligence developers", NULL };
  DlgApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  adw_show_about_window (window,
                         "application-name", _("Diligence"),
                         "application-icon", APP_ID,
                         "developer-name", _("The Diligence developers"),
                         "version", PACKAGE_VERSION,
                         "comments", _("Supply-chain due diligence, corrective action plans and charter commitments for responsible ICT procurement"),
                         "developers", developers,
                         "copyright", "© 2026 The Diligence developers",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         /* TRANSLATORS: your name and e-mail, one per line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
dlg_application_quit_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  DlgApplication *self = user_data;

  /* Closing each window lets it save what it holds. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; )
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
}

static const GActionEntry app_actions[] = {
  { "quit", dlg_application_quit_action },
  { "about", dlg_application_about_action },
};

static void
dlg_application_init (DlgApplication *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit",
                                         (const char *[]) { "<primary>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close",
                                         (const char *[]) { "<primary>w", NULL });
}
