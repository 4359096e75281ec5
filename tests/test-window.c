/* test-window.c - the real application window, on a real display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "dlg-application.h"
#include "dlg-core.h"
#include "dlg-window.h"

typedef struct
{
  DlgApplication *app;
  DlgWindow      *window;
  gboolean        checked;
} Context;

static GtkWidget *
find_child_of_type (GtkWidget *widget,
                    GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_child_of_type (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkStack *
find_stack_with_page (GtkWidget  *widget,
                      const char *page)
{
  if (GTK_IS_STACK (widget) && gtk_stack_get_child_by_name (GTK_STACK (widget), page))
    return GTK_STACK (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkStack *found = find_stack_with_page (child, page);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
check_window_cb (gpointer user_data)
{
  Context *ctx = user_data;
  GtkWidget *list;
  guint n_rows = 0;
  GPtrArray *questionnaires = dlg_application_get_questionnaires (ctx->app);

  ctx->window = DLG_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (ctx->app)));
  g_assert_nonnull (ctx->window);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (ctx->window)));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (ctx->window)), ==, "Diligence");

  /* One row per built-in questionnaire, each with a title to read out. */
  list = find_child_of_type (GTK_WIDGET (ctx->window), GTK_TYPE_LIST_BOX);
  g_assert_nonnull (list);
  for (GtkWidget *row = gtk_widget_get_first_child (list); row; row = gtk_widget_get_next_sibling (row))
    {
      g_assert_true (ADW_IS_ACTION_ROW (row));
      g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), !=, "");
      n_rows++;
    }
  g_assert_cmpuint (n_rows, ==, questionnaires->len);
  if (n_rows == 0)
    {
      GtkStack *stack = find_stack_with_page (GTK_WIDGET (ctx->window), "empty");
      g_assert_nonnull (stack);
      g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
    }

  /* The app-wide actions exist and the shortcuts are set. */
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (ctx->app), "quit"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (ctx->app), "about"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (ctx->window), "show-help-overlay"));

  ctx->checked = TRUE;
  g_action_group_activate_action (G_ACTION_GROUP (ctx->app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static void
activate_cb (GApplication *app,
             Context      *ctx)
{
  /* Let the window map and draw before looking at it. */
  g_timeout_add (500, check_window_cb, ctx);
}

static void
test_window_opens (void)
{
  Context ctx = { 0 };
  int status;

  ctx.app = dlg_application_new ();
  g_application_set_flags (G_APPLICATION (ctx.app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (ctx.app, "activate", G_CALLBACK (activate_cb), &ctx);

  status = g_application_run (G_APPLICATION (ctx.app), 0, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (ctx.checked);

  g_assert_finalize_object (ctx.app);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/window/opens", test_window_opens);

  return g_test_run ();
}
