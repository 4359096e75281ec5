/* dlg-preferences-window.c - profile, style and language
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Changes apply at once, as in every GNOME app: the profile is saved a
 * moment after the last keystroke, the style switches immediately, the
 * language at the next start (gettext cannot switch a running program).
 */

#define G_LOG_DOMAIN "dlg-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "dlg-preferences-window.h"
#include "dlg-profile-editor.h"

#define SAVE_DELAY_MS 500

struct _DlgPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  DlgProfileEditor     *profile_editor;
  AdwComboRow          *style_row;
  AdwComboRow          *language_row;

  /* Owned references */
  DlgStore             *store;
  GSettings            *settings;
  guint                 save_id;
  gboolean              loading;
};

G_DEFINE_FINAL_TYPE (DlgPreferencesWindow, dlg_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* Languages with complete translations, by code; their names are written
 * in their own language, as a person looking for theirs expects. */
static const struct {
  const char *code;
  const char *name;
} languages[] = {
  { "", NULL },
  { "en", "English" },
  { "fr", "Français" },
  { "nl", "Nederlands" },
  { "de", "Deutsch" },
};

static gboolean
save_profile_cb (gpointer user_data)
{
  DlgPreferencesWindow *self = user_data;
  g_autoptr(DlgProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  self->save_id = 0;

  if (!dlg_profile_editor_is_valid (self->profile_editor))
    return G_SOURCE_REMOVE;

  profile = dlg_profile_editor_get_profile (self->profile_editor);
  if (!dlg_store_save_profile (self->store, profile, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Could not save the profile: %s"), error->message);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
    }

  return G_SOURCE_REMOVE;
}

static void
profile_changed_cb (DlgPreferencesWindow *self)
{
  if (self->loading || self->store == NULL)
    return;

  g_clear_handle_id (&self->save_id, g_source_remove);
  self->save_id = g_timeout_add (SAVE_DELAY_MS, save_profile_cb, self);
}

static void
style_changed_cb (DlgPreferencesWindow *self)
{
  if (self->loading || self->settings == NULL)
    return;
  g_settings_set_enum (self->settings, "color-scheme", adw_combo_row_get_selected (self->style_row));
}

static void
language_changed_cb (DlgPreferencesWindow *self)
{
  guint i = adw_combo_row_get_selected (self->language_row);

  if (self->loading || self->settings == NULL || i >= G_N_ELEMENTS (languages))
    return;
  g_settings_set_string (self->settings, "language", languages[i].code);
}

static gboolean
close_request_cb (GtkWindow *window)
{
  DlgPreferencesWindow *self = DLG_PREFERENCES_WINDOW (window);

  /* Save what was typed last rather than lose it. */
  if (self->save_id != 0)
    {
      g_clear_handle_id (&self->save_id, g_source_remove);
      save_profile_cb (self);
    }

  return GTK_WINDOW_CLASS (dlg_preferences_window_parent_class)->close_request (window);
}

static void
dlg_preferences_window_dispose (GObject *object)
{
  DlgPreferencesWindow *self = (DlgPreferencesWindow *)object;

  g_clear_handle_id (&self->save_id, g_source_remove);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (dlg_preferences_window_parent_class)->dispose (object);
}

static void
dlg_preferences_window_class_init (DlgPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = dlg_preferences_window_dispose;
  window_class->close_request = close_request_cb;

  g_type_ensure (DLG_TYPE_PROFILE_EDITOR);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dlg-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DlgPreferencesWindow, profile_editor);
  gtk_widget_class_bind_template_child (widget_class, DlgPreferencesWindow, style_row);
  gtk_widget_class_bind_template_child (widget_class, DlgPreferencesWindow, language_row);
  gtk_widget_class_bind_template_callback (widget_class, profile_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, style_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, language_changed_cb);
}

static void
dlg_preferences_window_init (DlgPreferencesWindow *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    gtk_string_list_append (names, languages[i].name ? languages[i].name : _("System Default"));
  adw_combo_row_set_model (self->language_row, G_LIST_MODEL (names));
}

/**
 * dlg_preferences_window_new:
 * @store: (nullable): where the profile is kept
 * @settings: (nullable): the application's settings
 */
GtkWidget *
dlg_preferences_window_new (GtkWindow *parent,
                            DlgStore  *store,
                            GSettings *settings)
{
  DlgPreferencesWindow *self = g_object_new (DLG_TYPE_PREFERENCES_WINDOW,
                                             "transient-for", parent,
                                             "modal", TRUE,
                                             NULL);

  self->loading = TRUE;

  if (store != NULL)
    {
      g_autoptr(DlgProfile) profile = dlg_store_load_profile (store, NULL);

      self->store = g_object_ref (store);
      dlg_profile_editor_set_profile (self->profile_editor, profile);
    }

  if (settings != NULL)
    {
      g_autofree char *language = g_settings_get_string (settings, "language");

      self->settings = g_object_ref (settings);
      adw_combo_row_set_selected (self->style_row, g_settings_get_enum (settings, "color-scheme"));
      for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
        if (g_strcmp0 (languages[i].code, language) == 0)
          adw_combo_row_set_selected (self->language_row, i);
    }
  else
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->style_row), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->language_row), FALSE);
    }

  self->loading = FALSE;
  return GTK_WIDGET (self);
}
