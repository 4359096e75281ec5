/* dlg-choice-row.c - a boxed-list row with a check box, title and subtitle
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What an AdwActionRow with a GtkCheckButton as its activatable prefix
 * shows, laid out so that the text is measured height-for-width only.
 * AdwActionRow keeps its wrapping title and subtitle in a horizontal box,
 * and GTK 4.8 answers that box's "how wide for this height?" for each
 * wrapping label by a binary search over text layouts, at every
 * allocation: the three role rows of the profile form cost more than half
 * of the text shaping before the first run's first frame. Here the labels
 * sit in a DlgHeightForWidthBin; the row uses libadwaita's own style
 * classes (box.header, .prefixes, .title, .subtitle) so it looks the same.
 */

#define G_LOG_DOMAIN "dlg-choice-row"

#include "config.h"

#include "dlg-choice-row.h"
#include "dlg-height-for-width-bin.h"

struct _DlgChoiceRow
{
  AdwPreferencesRow parent_instance;

  GtkCheckButton *check;
  GtkLabel       *title;
  GtkLabel       *subtitle;
};

G_DEFINE_FINAL_TYPE (DlgChoiceRow, dlg_choice_row, ADW_TYPE_PREFERENCES_ROW)

enum {
  PROP_0,
  PROP_SUBTITLE,
  PROP_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The title is AdwPreferencesRow's, which preferences search reads too. */
static void
title_changed_cb (DlgChoiceRow *self)
{
  gtk_label_set_label (self->title, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self)));
}

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
    case PROP_SUBTITLE:
      g_value_set_string (value, dlg_choice_row_get_subtitle (self));
      break;
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
    case PROP_SUBTITLE:
      dlg_choice_row_set_subtitle (self, g_value_get_string (value));
      break;
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

  properties[PROP_SUBTITLE] =
    g_param_spec_string ("subtitle", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static GtkLabel *
new_label (const char *css_class)
{
  GtkLabel *label = GTK_LABEL (gtk_label_new (NULL));

  gtk_label_set_xalign (label, 0);
  gtk_label_set_wrap (label, TRUE);
  gtk_label_set_wrap_mode (label, PANGO_WRAP_WORD_CHAR);
  /* Without it, the label's minimum width is that of its text broken at
   * every word: a layout with a line per word, shaped again at each
   * measure. Twenty characters fit the narrowest window. */
  gtk_label_set_width_chars (label, 20);
  gtk_widget_add_css_class (GTK_WIDGET (label), css_class);
  return label;
}

static void
dlg_choice_row_init (DlgChoiceRow *self)
{
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *prefixes = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *text_bin = dlg_height_for_width_bin_new ();
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);

  /* libadwaita styles "row > box.header" and its ".prefixes" as for its
   * own rows; the text box is one level deeper than in AdwActionRow, so
   * its margins are set here. */
  gtk_widget_add_css_class (header, "header");
  gtk_widget_add_css_class (prefixes, "prefixes");

  self->check = GTK_CHECK_BUTTON (gtk_check_button_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->check), GTK_ALIGN_CENTER);
  g_signal_connect_swapped (self->check, "toggled", G_CALLBACK (toggled_cb), self);
  gtk_box_append (GTK_BOX (prefixes), GTK_WIDGET (self->check));
  gtk_box_append (GTK_BOX (header), prefixes);

  self->title = new_label ("title");
  gtk_box_append (GTK_BOX (text), GTK_WIDGET (self->title));
  self->subtitle = new_label ("subtitle");
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle), FALSE);
  gtk_box_append (GTK_BOX (text), GTK_WIDGET (self->subtitle));

  gtk_widget_add_css_class (text, "title");
  gtk_widget_set_valign (text, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (text, 6);
  gtk_widget_set_margin_bottom (text, 6);
  dlg_height_for_width_bin_set_child (DLG_HEIGHT_FOR_WIDTH_BIN (text_bin), text);
  gtk_widget_set_hexpand (text_bin, TRUE);
  gtk_box_append (GTK_BOX (header), text_bin);

  g_signal_connect (self, "notify::title", G_CALLBACK (title_changed_cb), NULL);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self), header);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), TRUE);

  /* The check box is what a screen reader announces, named and described
   * by the labels; a name on the row as well would be read twice. */
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->check),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->title, NULL,
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->subtitle, NULL,
                                  -1);
}

GtkWidget *
dlg_choice_row_new (void)
{
  return g_object_new (DLG_TYPE_CHOICE_ROW, NULL);
}

const char *
dlg_choice_row_get_subtitle (DlgChoiceRow *self)
{
  g_return_val_if_fail (DLG_IS_CHOICE_ROW (self), NULL);
  return gtk_label_get_label (self->subtitle);
}

/**
 * dlg_choice_row_set_subtitle:
 * @subtitle: (nullable): %NULL or "" hides it
 */
void
dlg_choice_row_set_subtitle (DlgChoiceRow *self,
                             const char   *subtitle)
{
  g_return_if_fail (DLG_IS_CHOICE_ROW (self));

  if (g_strcmp0 (gtk_label_get_label (self->subtitle), subtitle ? subtitle : "") == 0)
    return;
  gtk_label_set_label (self->subtitle, subtitle ? subtitle : "");
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle), subtitle != NULL && *subtitle != '\0');
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBTITLE]);
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
