/* dlg-profile-editor.c - the organisation's profile as preference rows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Used twice: on the first run, before anything else, and in Preferences.
 */

#define G_LOG_DOMAIN "dlg-profile-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "dlg-choice-row.h"
#include "dlg-profile-editor.h"

struct _DlgProfileEditor
{
  AdwPreferencesGroup  parent_instance;

  /* Template widgets */
  AdwEntryRow         *name_row;
  AdwEntryRow         *number_row;
  AdwComboRow         *country_row;
  AdwEntryRow         *contact_row;
  AdwEntryRow         *email_row;
  DlgChoiceRow        *supplier_row;
  DlgChoiceRow        *buyer_row;
  DlgChoiceRow        *signatory_row;
};

G_DEFINE_FINAL_TYPE (DlgProfileEditor, dlg_profile_editor, ADW_TYPE_PREFERENCES_GROUP)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The countries of the European Economic Area and neighbours our users
 * trade with, by ISO 3166-1 code; names are translated. */
static const struct {
  const char *code;
  const char *name;
} countries[] = {
  { "BE", N_("Belgium") }, { "NL", N_("Netherlands") }, { "LU", N_("Luxembourg") },
  { "FR", N_("France") }, { "DE", N_("Germany") }, { "AT", N_("Austria") },
  { "BG", N_("Bulgaria") }, { "HR", N_("Croatia") }, { "CY", N_("Cyprus") },
  { "CZ", N_("Czechia") }, { "DK", N_("Denmark") }, { "EE", N_("Estonia") },
  { "FI", N_("Finland") }, { "GR", N_("Greece") }, { "HU", N_("Hungary") },
  { "IE", N_("Ireland") }, { "IT", N_("Italy") }, { "LV", N_("Latvia") },
  { "LT", N_("Lithuania") }, { "MT", N_("Malta") }, { "PL", N_("Poland") },
  { "PT", N_("Portugal") }, { "RO", N_("Romania") }, { "SK", N_("Slovakia") },
  { "SI", N_("Slovenia") }, { "ES", N_("Spain") }, { "SE", N_("Sweden") },
  { "IS", N_("Iceland") }, { "LI", N_("Liechtenstein") }, { "NO", N_("Norway") },
  { "CH", N_("Switzerland") }, { "GB", N_("United Kingdom") },
  { "", N_("Other") },
};

static void
changed_cb (DlgProfileEditor *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));

  if (*name == '\0')
    gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "warning");

  g_signal_emit (self, signals[CHANGED], 0);
}

static void
dlg_profile_editor_class_init (DlgProfileEditorClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  /**
   * DlgProfileEditor::changed:
   *
   * Emitted when any field changes.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (DLG_TYPE_CHOICE_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dlg-profile-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, DlgProfileEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, DlgProfileEditor, number_row);
  gtk_widget_class_bind_template_child (widget_class, DlgProfileEditor, country_row);
  gtk_widget_class_bind_template_child (widget_class, DlgProfileEditor, contact_row);
  gtk_widget_class_bind_template_child (widget_class, DlgProfileEditor, email_row);
  gtk_widget_class_bind_template_child (widget_class, DlgProfileEditor, supplier_row);
  gtk_widget_class_bind_template_child (widget_class, DlgProfileEditor, buyer_row);
  gtk_widget_class_bind_template_child (widget_class, DlgProfileEditor, signatory_row);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
}

static void
dlg_profile_editor_init (DlgProfileEditor *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (countries); i++)
    gtk_string_list_append (names, _(countries[i].name));
  adw_combo_row_set_model (self->country_row, G_LIST_MODEL (names));
}

GtkWidget *
dlg_profile_editor_new (void)
{
  return g_object_new (DLG_TYPE_PROFILE_EDITOR, NULL);
}

void
dlg_profile_editor_set_profile (DlgProfileEditor *self,
                                const DlgProfile *profile)
{
  g_return_if_fail (DLG_IS_PROFILE_EDITOR (self));

  if (profile == NULL)
    return;

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), profile->name ? profile->name : "");
  gtk_editable_set_text (GTK_EDITABLE (self->number_row), profile->enterprise_number ? profile->enterprise_number : "");
  gtk_editable_set_text (GTK_EDITABLE (self->contact_row), profile->contact_name ? profile->contact_name : "");
  gtk_editable_set_text (GTK_EDITABLE (self->email_row), profile->contact_email ? profile->contact_email : "");
  for (guint i = 0; i < G_N_ELEMENTS (countries); i++)
    if (g_strcmp0 (countries[i].code, profile->country ? profile->country : "") == 0)
      adw_combo_row_set_selected (self->country_row, i);
  dlg_choice_row_set_active (self->supplier_row, (profile->roles & DLG_ROLE_SUPPLIER) != 0);
  dlg_choice_row_set_active (self->buyer_row, (profile->roles & DLG_ROLE_BUYER) != 0);
  dlg_choice_row_set_active (self->signatory_row, (profile->roles & DLG_ROLE_SIGNATORY) != 0);
}

static char *
field (AdwEntryRow *row)
{
  char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

/**
 * dlg_profile_editor_get_profile:
 *
 * Returns: (transfer full): the profile as edited
 */
DlgProfile *
dlg_profile_editor_get_profile (DlgProfileEditor *self)
{
  DlgProfile *profile = g_new0 (DlgProfile, 1);
  guint country = adw_combo_row_get_selected (self->country_row);

  g_return_val_if_fail (DLG_IS_PROFILE_EDITOR (self), NULL);

  profile->name = field (self->name_row);
  profile->enterprise_number = field (self->number_row);
  profile->contact_name = field (self->contact_row);
  profile->contact_email = field (self->email_row);
  if (country < G_N_ELEMENTS (countries) && *countries[country].code)
    profile->country = g_strdup (countries[country].code);
  profile->roles = (dlg_choice_row_get_active (self->supplier_row) ? DLG_ROLE_SUPPLIER : 0) |
                   (dlg_choice_row_get_active (self->buyer_row) ? DLG_ROLE_BUYER : 0) |
                   (dlg_choice_row_get_active (self->signatory_row) ? DLG_ROLE_SIGNATORY : 0);
  return profile;
}

/**
 * dlg_profile_editor_is_valid:
 *
 * Returns: whether the profile has a name and at least one role
 */
gboolean
dlg_profile_editor_is_valid (DlgProfileEditor *self)
{
  g_autofree char *name = field (self->name_row);

  return name != NULL &&
         (dlg_choice_row_get_active (self->supplier_row) ||
          dlg_choice_row_get_active (self->buyer_row) ||
          dlg_choice_row_get_active (self->signatory_row));
}
