/* dlg-inbox-row.c - one received report or review
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Who sent it, what it is and when it came, whether it is new, and what
 * its signature says (an icon and a word: verified, unknown signer,
 * invalid). The page works out the words; the row follows the item's
 * read state itself.
 */

#define G_LOG_DOMAIN "dlg-inbox-row"

#include "config.h"

#include <glib/gi18n.h>

#include "dlg-inbox-row.h"

struct _DlgInboxRow
{
  GtkListBoxRow  parent_instance;

  /* Template widgets */
  GtkImage      *kind_icon;
  GtkLabel      *title_label;
  GtkBox        *unread_box;
  GtkLabel      *subtitle_label;
  GtkBox        *verdict_box;
  GtkImage      *verdict_icon;
  GtkLabel      *verdict_label;

  /* Owned references */
  DlgInboxItem  *item;
  DlgVerdict     verdict;
};

G_DEFINE_FINAL_TYPE (DlgInboxRow, dlg_inbox_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  ITEM_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
via_changed_cb (DlgInboxRow *self)
{
  g_signal_emit (self, signals[ITEM_CHANGED], 0);
}

static void
update (DlgInboxRow *self)
{
  gboolean unread = !dlg_inbox_item_get_read (self->item);
  g_autofree char *summary = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->unread_box), unread);
  if (unread)
    gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "heading");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->title_label), "heading");

  /* One sentence for screen readers, in the order the eye reads. */
  summary = g_strdup_printf (unread ? _("%s. %s. New.") : _("%s. %s."),
                             gtk_label_get_label (self->title_label), dlg_verdict_get_label (self->verdict));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, summary,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, gtk_label_get_label (self->subtitle_label),
                                  -1);
}

static void
dlg_inbox_row_dispose (GObject *object)
{
  DlgInboxRow *self = (DlgInboxRow *)object;

  if (self->item != NULL)
    g_signal_handlers_disconnect_by_data (self->item, self);
  g_clear_object (&self->item);

  G_OBJECT_CLASS (dlg_inbox_row_parent_class)->dispose (object);
}

static void
dlg_inbox_row_class_init (DlgInboxRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dlg_inbox_row_dispose;

  /**
   * DlgInboxRow::item-changed:
   *
   * The document arrived again another way: what the row says of it
   * should be worked out again.
   */
  signals[ITEM_CHANGED] =
    g_signal_new ("item-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dlg-inbox-row.ui");
  gtk_widget_class_bind_template_child (widget_class, DlgInboxRow, kind_icon);
  gtk_widget_class_bind_template_child (widget_class, DlgInboxRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, DlgInboxRow, unread_box);
  gtk_widget_class_bind_template_child (widget_class, DlgInboxRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, DlgInboxRow, verdict_box);
  gtk_widget_class_bind_template_child (widget_class, DlgInboxRow, verdict_icon);
  gtk_widget_class_bind_template_child (widget_class, DlgInboxRow, verdict_label);
}

static void
dlg_inbox_row_init (DlgInboxRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
dlg_inbox_row_new (DlgInboxItem *item)
{
  DlgInboxRow *self;

  g_return_val_if_fail (DLG_IS_INBOX_ITEM (item), NULL);

  self = g_object_new (DLG_TYPE_INBOX_ROW, NULL);
  self->item = g_object_ref (item);
  gtk_image_set_from_icon_name (self->kind_icon, dlg_inbox_item_get_kind (item) == DLG_SIGNED_REVIEW
                                                 ? "mail-replied-symbolic" : "x-office-document-symbolic");
  g_signal_connect_swapped (item, "notify::read", G_CALLBACK (update), self);
  g_signal_connect_swapped (item, "notify::via", G_CALLBACK (via_changed_cb), self);
  return GTK_WIDGET (self);
}

/**
 * dlg_inbox_row_get_item:
 *
 * Returns: (transfer none): the document shown
 */
DlgInboxItem *
dlg_inbox_row_get_item (DlgInboxRow *self)
{
  g_return_val_if_fail (DLG_IS_INBOX_ROW (self), NULL);
  return self->item;
}

/**
 * dlg_inbox_row_set_details:
 * @title: who sent what, e.g. "Report from Acme SA"
 * @subtitle: the sender's number, when it came and how
 * @verdict: what its signature says with the keys known now
 */
void
dlg_inbox_row_set_details (DlgInboxRow *self,
                           const char  *title,
                           const char  *subtitle,
                           DlgVerdict   verdict)
{
  static const char *classes[] = { "success", "warning", "error" };

  g_return_if_fail (DLG_IS_INBOX_ROW (self));

  self->verdict = verdict;
  gtk_label_set_label (self->title_label, title);
  gtk_label_set_label (self->subtitle_label, subtitle);
  gtk_image_set_from_icon_name (self->verdict_icon, dlg_verdict_get_icon_name (verdict));
  gtk_label_set_label (self->verdict_label, dlg_verdict_get_label (verdict));
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_box), classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->verdict_box), classes[MIN ((guint) verdict, G_N_ELEMENTS (classes) - 1)]);
  update (self);
}
