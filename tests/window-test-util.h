/* window-test-util.h - looking for widgets and waiting in window tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the window tests, which drive the real application: run it
 * once with a step done in its window, find a widget by type, find an open
 * window, and spin the main loop until a condition holds.
 */

#pragma once

#include <gtk/gtk.h>

#include "dlg-application.h"
#include "dlg-window.h"
#include "test-util.h"

G_BEGIN_DECLS

/* The first widget of @type at or below @widget, depth first. */
static inline GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A visible toplevel window of @type, or %NULL. */
static inline GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

typedef void (*Step) (DlgApplication *app,
                      DlgWindow      *window);

typedef struct
{
  DlgApplication *app;
  Step            step;
  void          (*prepare) (DlgApplication *app);
  gboolean        scheduled;
  gboolean        done;
} Run;

static inline gboolean
run_step_cb (gpointer user_data)
{
  Run *run = user_data;
  DlgWindow *window = DLG_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (run->app)));

  g_assert_nonnull (window);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));

  run->step (run->app, window);
  run->done = TRUE;

  g_action_group_activate_action (G_ACTION_GROUP (run->app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

/* Opening files activates the application again: the step runs once. */
static inline void
run_activate_cb (GApplication *app,
                 Run          *run)
{
  if (run->scheduled)
    return;
  run->scheduled = TRUE;
  if (run->prepare != NULL)
    run->prepare (run->app);
  g_timeout_add (300, run_step_cb, run);
}

/* Runs the whole application once, on @data_dir (%NULL: the user's), with
 * @step done in its window; @prepare (if not %NULL) is done first, as the
 * application activates. */
static inline void
run_app_full (const char  *data_dir,
              Step         step,
              void       (*prepare) (DlgApplication *app))
{
  Run run = { 0 };
  int status;

  run.app = data_dir ? dlg_application_new_for_data_dir (data_dir) : dlg_application_new ();
  run.step = step;
  run.prepare = prepare;
  g_application_set_flags (G_APPLICATION (run.app), G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN);
  g_signal_connect_after (run.app, "activate", G_CALLBACK (run_activate_cb), &run);

  status = g_application_run (G_APPLICATION (run.app), 0, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (run.done);

  g_assert_finalize_object (run.app);
}

static inline void
run_app (Step step)
{
  run_app_full (NULL, step, NULL);
}

G_END_DECLS
