/* dlg-choice-row.c - a boxed-list row with a check box, title and subtitle
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What an AdwActionRow with a GtkCheckButton as its activatable prefix
 * shows, as a DlgInfoRow: its text is measured height-for-width only (see
 * dlg-info-row.c). In the profile form, AdwActionRows had cost more than
 * half of the text shaping before the first run's first frame.
 */

#define G_LOG_DOMAIN "dlg-choice-row"

#include "config.h"

#include "dlg-choice-row.h"

struct _DlgChoiceRow
{
  DlgInfoRow      parent_instance;

  GtkCheckButton *check;
};

G_DEFINE_FINAL_TYPE (DlgChoiceRow, dlg_choice_row, DLG_TYPE_INFO_ROW)

enum {
  PROP_0,
  PROP_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
toggled_cb (DlgChoiceRow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

/* A click or Enter anywhere on the row toggles the box, as with
 * AdwActionRow's activatable widget. */
static void
dlg_choice_row_activate (GtkListBoxRow *row)
{
  DlgChoiceRow *self = DLG_CHOICE_ROW (row);

  gtk_check_button_set_active (self->check, !gtk_check_button_get_active (self->check));
}

static void
dlg_choice_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DlgChoiceRow *self = DLG_CHOICE_ROW (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      g_value_set_boolean (value, dlg_choice_row_get_active (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dlg_choice_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  DlgChoiceRow *self = DLG_CHOICE_ROW (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      dlg_choice_row_set_active (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dlg_choice_row_class_init (DlgChoiceRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkListBoxRowClass *row_class = GTK_LIST_BOX_ROW_CLASS (klass);

  object_class->get_property = dlg_choice_row_get_property;
  object_class->set_property = dlg_choice_row_set_property;
  row_class->activate = dlg_choice_row_activate;

  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dlg_choice_row_init (DlgChoiceRow *self)
{
  DlgInfoRow *row = DLG_INFO_ROW (self);

  self->check = GTK_CHECK_BUTTON (gtk_check_button_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->check), GTK_ALIGN_CENTER);
  g_signal_connect_swapped (self->check, "toggled", G_CALLBACK (toggled_cb), self);
  dlg_info_row_add_prefix (row, GTK_WIDGET (self->check));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), TRUE);

  /* The check box is what a screen reader announces, named and described
   * by the labels; a name on the row as well would be read twice. */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->check),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, dlg_info_row_get_title_label (row), NULL,
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, dlg_info_row_get_subtitle_label (row), NULL,
                                  -1);
}

GtkWidget *
dlg_choice_row_new (void)
{
  return g_object_new (DLG_TYPE_CHOICE_ROW, NULL);
}

gboolean
dlg_choice_row_get_active (DlgChoiceRow *self)
{
  g_return_val_if_fail (DLG_IS_CHOICE_ROW (self), FALSE);
  return gtk_check_button_get_active (self->check);
}

void
dlg_choice_row_set_active (DlgChoiceRow *self,
                           gboolean      active)
{
  g_return_if_fail (DLG_IS_CHOICE_ROW (self));

  /* Notified from the check box's "toggled", whoever changes it. */
  gtk_check_button_set_active (self->check, active);
}
