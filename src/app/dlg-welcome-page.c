/* dlg-welcome-page.c - the first run: who is using Diligence
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reports name the organisation that signs them, so the profile comes
 * first. ::done carries the profile; the window stores it.
 */

#define G_LOG_DOMAIN "dlg-welcome-page"

#include "config.h"

#include <glib/gi18n.h>

#include "dlg-profile-editor.h"
#include "dlg-welcome-page.h"

struct _DlgWelcomePage
{
  GtkWidget         parent_instance;

  /* Template widgets */
  DlgProfileEditor *profile_editor;
  GtkButton        *continue_button;
  GtkLabel         *hint_label;
};

G_DEFINE_FINAL_TYPE (DlgWelcomePage, dlg_welcome_page, GTK_TYPE_WIDGET)

enum {
  DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
changed_cb (DlgWelcomePage *self)
{
  gboolean valid = dlg_profile_editor_is_valid (self->profile_editor);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "welcome.continue", valid);
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), !valid);
}

static void
continue_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  DlgWelcomePage *self = DLG_WELCOME_PAGE (widget);
  g_autoptr(DlgProfile) profile = NULL;

  if (!dlg_profile_editor_is_valid (self->profile_editor))
    return;

  profile = dlg_profile_editor_get_profile (self->profile_editor);
  g_signal_emit (self, signals[DONE], 0, profile);
}

static void
dlg_welcome_page_dispose (GObject *object)
{
  GtkWidget *child;
  gtk_widget_dispose_template (GTK_WIDGET (object), DLG_TYPE_WELCOME_PAGE);
  /* The template's top-level children are not all bound; unparent them all. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (dlg_welcome_page_parent_class)->dispose (object);
}

static void
dlg_welcome_page_class_init (DlgWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dlg_welcome_page_dispose;

  /**
   * DlgWelcomePage::done:
   * @profile: (type gpointer): the DlgProfile entered, valid during the emission
   */
  signals[DONE] =
    g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);

  g_type_ensure (DLG_TYPE_PROFILE_EDITOR);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dlg-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DlgWelcomePage, profile_editor);
  gtk_widget_class_bind_template_child (widget_class, DlgWelcomePage, continue_button);
  gtk_widget_class_bind_template_child (widget_class, DlgWelcomePage, hint_label);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);

  gtk_widget_class_install_action (widget_class, "welcome.continue", NULL, continue_action);
}

static void
dlg_welcome_page_init (DlgWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "welcome.continue", FALSE);
}

GtkWidget *
dlg_welcome_page_new (void)
{
  return g_object_new (DLG_TYPE_WELCOME_PAGE, NULL);
}
