/* dlg-section-row.c - one entry of the assessment page's sidebar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A title, a subtitle ("3 of 8 answered"), an optional icon before and a
 * level badge after: what an AdwActionRow shows, laid out so that the
 * text is measured height-for-width only. AdwActionRow puts its wrapping
 * labels in a horizontal box, and GTK 4.8 answers "how wide for this
 * height?" for a wrapping label by binary search over text layouts; a
 * sidebar of two dozen of those cost more than the questions beside it.
 */

#define G_LOG_DOMAIN "dlg-section-row"

#include "config.h"

#include "dlg-height-for-width-bin.h"
#include "dlg-section-row.h"

struct _DlgSectionRow
{
  GtkListBoxRow  parent_instance;

  GtkWidget     *icon;
  GtkLabel      *title;
  GtkLabel      *subtitle;
  DlgLevelBadge *badge;
  int            index;
};

G_DEFINE_FINAL_TYPE (DlgSectionRow, dlg_section_row, GTK_TYPE_LIST_BOX_ROW)

static void
dlg_section_row_class_init (DlgSectionRowClass *klass)
{
}

static void
dlg_section_row_init (DlgSectionRow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text_bin = dlg_height_for_width_bin_new ();
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);

  self->icon = gtk_image_new ();
  gtk_widget_set_visible (self->icon, FALSE);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_box_append (GTK_BOX (box), self->icon);

  self->title = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->title, 0);
  gtk_label_set_wrap (self->title, TRUE);
  gtk_label_set_wrap_mode (self->title, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_width_chars (self->title, 10);
  gtk_box_append (GTK_BOX (text), GTK_WIDGET (self->title));

  self->subtitle = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->subtitle, 0);
  gtk_label_set_wrap (self->subtitle, TRUE);
  gtk_label_set_wrap_mode (self->subtitle, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_width_chars (self->subtitle, 10);
  gtk_widget_add_css_class (GTK_WIDGET (self->subtitle), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->subtitle), "dim-label");
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle), FALSE);
  gtk_box_append (GTK_BOX (text), GTK_WIDGET (self->subtitle));

  gtk_widget_set_valign (text, GTK_ALIGN_CENTER);
  dlg_height_for_width_bin_set_child (DLG_HEIGHT_FOR_WIDTH_BIN (text_bin), text);
  gtk_widget_set_hexpand (text_bin, TRUE);
  gtk_box_append (GTK_BOX (box), text_bin);

  self->badge = DLG_LEVEL_BADGE (dlg_level_badge_new ());
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->badge));

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), TRUE);
}

/**
 * dlg_section_row_new:
 * @title: shown as it is (not markup)
 * @index: the section's index, or a negative number for the other pages
 */
GtkWidget *
dlg_section_row_new (const char *title,
                     int         index)
{
  DlgSectionRow *self = g_object_new (DLG_TYPE_SECTION_ROW, NULL);

  self->index = index;
  gtk_label_set_label (self->title, title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  return GTK_WIDGET (self);
}

int
dlg_section_row_get_index (DlgSectionRow *self)
{
  g_return_val_if_fail (DLG_IS_SECTION_ROW (self), 0);
  return self->index;
}

const char *
dlg_section_row_get_title (DlgSectionRow *self)
{
  g_return_val_if_fail (DLG_IS_SECTION_ROW (self), NULL);
  return gtk_label_get_label (self->title);
}

/**
 * dlg_section_row_set_subtitle:
 * @subtitle: (nullable): e.g. "3 of 8 answered"; %NULL hides it
 */
void
dlg_section_row_set_subtitle (DlgSectionRow *self,
                              const char    *subtitle)
{
  g_return_if_fail (DLG_IS_SECTION_ROW (self));

  if (g_strcmp0 (gtk_label_get_label (self->subtitle), subtitle ? subtitle : "") == 0)
    return;

  gtk_label_set_label (self->subtitle, subtitle ? subtitle : "");
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle), subtitle != NULL && *subtitle != '\0');
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle ? subtitle : "",
                                  -1);
}

/**
 * dlg_section_row_set_icon_name:
 * @icon_name: (nullable): an icon before the title, or %NULL for none
 */
void
dlg_section_row_set_icon_name (DlgSectionRow *self,
                               const char    *icon_name)
{
  g_return_if_fail (DLG_IS_SECTION_ROW (self));

  gtk_image_set_from_icon_name (GTK_IMAGE (self->icon), icon_name);
  gtk_widget_set_visible (self->icon, icon_name != NULL);
}

/**
 * dlg_section_row_get_badge:
 *
 * Returns: (transfer none): the badge after the title, showing the level
 */
DlgLevelBadge *
dlg_section_row_get_badge (DlgSectionRow *self)
{
  g_return_val_if_fail (DLG_IS_SECTION_ROW (self), NULL);
  return self->badge;
}
