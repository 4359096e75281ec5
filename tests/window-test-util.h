/* window-test-util.h - looking for widgets and waiting in window tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the window tests, which drive the real application: find a
 * widget by type, find an open window, and spin the main loop until a
 * condition holds.
 */

#pragma once

#include <gtk/gtk.h>

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

/* Spins the main loop until @done says so. The bound only keeps a broken
 * build from hanging and is never what a test measures (sanitizer builds
 * on a loaded machine can take seconds per frame). When nothing is
 * pending it naps a millisecond, so that a server thread in the same
 * process is not starved by the spin. */
static inline gboolean
wait_until (gboolean (*done) (gpointer data),
            gpointer   data)
{
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!done (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  return TRUE;
}

G_END_DECLS
