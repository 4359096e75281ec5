/* dlg-info-row.c - a boxed-list row with a title and a wrapping subtitle
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What an AdwActionRow shows (prefixes, title, subtitle, suffixes), laid
 * out so that the text is measured height-for-width only. AdwActionRow
 * keeps its wrapping title and subtitle in a horizontal box, and GTK 4.8
 * answers that box's "how wide for this height?" for each wrapping label
 * by a binary search over text layouts, at every allocation: a handful of
 * such rows cost thousands of text shapings before a page's first frame.
 * Here the labels sit in a DlgHeightForWidthBin, and have a width in
 * characters (without one, a label's minimum width is its text laid out a
 * word per line, shaped again at each measure). The row uses libadwaita's
 * own style classes (box.header, .prefixes, .suffixes, .title, .subtitle)
 * so that it looks the same.
 */

#define G_LOG_DOMAIN "dlg-info-row"

#include "config.h"

#include "dlg-height-for-width-bin.h"
#include "dlg-info-row.h"

typedef struct
{
  GtkWidget *prefixes;
  GtkWidget *suffixes;
  GtkLabel  *title;
  GtkLabel  *subtitle;
} DlgInfoRowPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (DlgInfoRow, dlg_info_row, ADW_TYPE_PREFERENCES_ROW)

enum {
  PROP_0,
  PROP_SUBTITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The title is AdwPreferencesRow's, which preferences search reads too;
 * shown as it is, not as markup. */
static void
title_changed_cb (DlgInfoRow *self)
{
  DlgInfoRowPrivate *priv = dlg_info_row_get_instance_private (self);

  gtk_label_set_text (priv->title, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self)));
}

static void
dlg_info_row_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  DlgInfoRow *self = DLG_INFO_ROW (object);

  switch (prop_id)
    {
    case PROP_SUBTITLE:
      g_value_set_string (value, dlg_info_row_get_subtitle (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dlg_info_row_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  DlgInfoRow *self = DLG_INFO_ROW (object);

  switch (prop_id)
    {
    case PROP_SUBTITLE:
      dlg_info_row_set_subtitle (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dlg_info_row_class_init (DlgInfoRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = dlg_info_row_get_property;
  object_class->set_property = dlg_info_row_set_property;

  properties[PROP_SUBTITLE] =
    g_param_spec_string ("subtitle", NULL, NULL, NULL,
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
  gtk_label_set_width_chars (label, 20);
  gtk_widget_add_css_class (GTK_WIDGET (label), css_class);
  return label;
}

static void
dlg_info_row_init (DlgInfoRow *self)
{
  DlgInfoRowPrivate *priv = dlg_info_row_get_instance_private (self);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *text_bin = dlg_height_for_width_bin_new ();
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);

  /* libadwaita styles "row > box.header" and its .prefixes and .suffixes
   * as for its own rows; the text box is one level deeper than in
   * AdwActionRow, so its margins are set here. */
  gtk_widget_add_css_class (header, "header");

  priv->prefixes = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (priv->prefixes, "prefixes");
  gtk_widget_set_visible (priv->prefixes, FALSE);
  gtk_box_append (GTK_BOX (header), priv->prefixes);

  priv->title = new_label ("title");
  gtk_box_append (GTK_BOX (text), GTK_WIDGET (priv->title));
  priv->subtitle = new_label ("subtitle");
  gtk_widget_set_visible (GTK_WIDGET (priv->subtitle), FALSE);
  gtk_box_append (GTK_BOX (text), GTK_WIDGET (priv->subtitle));

  gtk_widget_add_css_class (text, "title");
  gtk_widget_set_valign (text, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (text, 6);
  gtk_widget_set_margin_bottom (text, 6);
  dlg_height_for_width_bin_set_child (DLG_HEIGHT_FOR_WIDTH_BIN (text_bin), text);
  gtk_widget_set_hexpand (text_bin, TRUE);
  gtk_box_append (GTK_BOX (header), text_bin);

  priv->suffixes = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (priv->suffixes, "suffixes");
  gtk_widget_set_visible (priv->suffixes, FALSE);
  gtk_box_append (GTK_BOX (header), priv->suffixes);

  g_signal_connect (self, "notify::title", G_CALLBACK (title_changed_cb), NULL);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self), header);

  /* Read as the title, then the subtitle, as AdwActionRow is. */
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, priv->title, NULL,
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, priv->subtitle, NULL,
                                  -1);
}

GtkWidget *
dlg_info_row_new (void)
{
  return g_object_new (DLG_TYPE_INFO_ROW, NULL);
}

const char *
dlg_info_row_get_subtitle (DlgInfoRow *self)
{
  DlgInfoRowPrivate *priv = dlg_info_row_get_instance_private (self);

  g_return_val_if_fail (DLG_IS_INFO_ROW (self), NULL);
  return gtk_label_get_text (priv->subtitle);
}

/**
 * dlg_info_row_set_subtitle:
 * @subtitle: (nullable): shown as it is, not as markup; %NULL or "" hides it
 */
void
dlg_info_row_set_subtitle (DlgInfoRow *self,
                           const char *subtitle)
{
  DlgInfoRowPrivate *priv = dlg_info_row_get_instance_private (self);

  g_return_if_fail (DLG_IS_INFO_ROW (self));

  if (g_strcmp0 (gtk_label_get_text (priv->subtitle), subtitle ? subtitle : "") == 0)
    return;
  gtk_label_set_text (priv->subtitle, subtitle ? subtitle : "");
  gtk_widget_set_visible (GTK_WIDGET (priv->subtitle), subtitle != NULL && *subtitle != '\0');
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBTITLE]);
}

void
dlg_info_row_add_prefix (DlgInfoRow *self,
                         GtkWidget  *widget)
{
  DlgInfoRowPrivate *priv = dlg_info_row_get_instance_private (self);

  g_return_if_fail (DLG_IS_INFO_ROW (self));
  gtk_box_append (GTK_BOX (priv->prefixes), widget);
  gtk_widget_set_visible (priv->prefixes, TRUE);
}

void
dlg_info_row_add_suffix (DlgInfoRow *self,
                         GtkWidget  *widget)
{
  DlgInfoRowPrivate *priv = dlg_info_row_get_instance_private (self);

  g_return_if_fail (DLG_IS_INFO_ROW (self));
  gtk_box_append (GTK_BOX (priv->suffixes), widget);
  gtk_widget_set_visible (priv->suffixes, TRUE);
}

/* For subclasses that name another widget by these labels. */
GtkWidget *
dlg_info_row_get_title_label (DlgInfoRow *self)
{
  DlgInfoRowPrivate *priv = dlg_info_row_get_instance_private (self);

  g_return_val_if_fail (DLG_IS_INFO_ROW (self), NULL);
  return GTK_WIDGET (priv->title);
}

GtkWidget *
dlg_info_row_get_subtitle_label (DlgInfoRow *self)
{
  DlgInfoRowPrivate *priv = dlg_info_row_get_instance_private (self);

  g_return_val_if_fail (DLG_IS_INFO_ROW (self), NULL);
  return GTK_WIDGET (priv->subtitle);
}
