/* dlg-outbox-row.c - one signed document in the outbox, and its fate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The state is an icon and a word, never a colour alone. Below it, what
 * happened in full sentences: the server's receipt and time once it is
 * delivered; for a refusal, what went wrong, the server's own words and
 * what to do; for a document waiting, why it waits and when it is tried
 * again. The buttons act through the page's actions (outbox.retry,
 * outbox.save-file) with the document's id as target.
 */

#define G_LOG_DOMAIN "dlg-outbox-row"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "dlg-outbox-row.h"
#include "dlg-sync-service.h"

struct _DlgOutboxRow
{
  GtkListBoxRow  parent_instance;

  /* Template widgets */
  GtkImage      *kind_icon;
  GtkLabel      *title_label;
  GtkLabel      *subtitle_label;
  GtkBox        *state_box;
  GtkImage      *state_icon;
  GtkLabel      *state_label;
  GtkLabel      *detail_label;
  GtkLabel      *hint_label;
  GtkButton     *save_button;
  GtkButton     *retry_button;
  GtkButton     *send_again_button;

  /* Owned references */
  DlgOutboxItem *item;
};

G_DEFINE_FINAL_TYPE (DlgOutboxRow, dlg_outbox_row, GTK_TYPE_LIST_BOX_ROW)

/**
 * dlg_outbox_describe_problem:
 * @problem: (nullable): a problem code the outbox recorded, e.g.
 *   "unknown-key"
 *
 * Returns: (transfer full) (nullable): what went wrong, in a short
 *   sentence, for a heading
 */
char *
dlg_outbox_describe_problem (const char *problem)
{
  return g_strdup (dlg_outbox_problem_get_summary (problem));
}

/* The receipt's digest, shortened as fingerprints are, and whether the
 * server had it already. */
static char *
describe_receipt (const char *receipt)
{
  g_autoptr(JsonNode) node = receipt ? json_from_string (receipt, NULL) : NULL;
  JsonObject *object;
  const char *sha256, *status;
  g_autofree char *short_digest = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);
  sha256 = json_object_get_string_member_with_default (object, "sha256", NULL);
  status = json_object_get_string_member_with_default (object, "status", NULL);
  if (sha256 == NULL)
    return NULL;

  short_digest = g_strndup (sha256, 16);
  if (g_strcmp0 (status, "duplicate") == 0)
    /* TRANSLATORS: %s is the start of a SHA-256 digest the server acknowledged */
    return g_strdup_printf (_("Receipt: SHA-256 %s… (the server had received it before; this is its first receipt)"),
                            short_digest);
  /* TRANSLATORS: %s is the start of a SHA-256 digest the server acknowledged */
  return g_strdup_printf (_("Receipt: SHA-256 %s…"), short_digest);
}

static void
update (DlgOutboxRow *self)
{
  DlgOutboxState state = dlg_outbox_item_get_state (self->item);
  const char *error = dlg_outbox_item_get_last_error (self->item);
  const char *hint = dlg_outbox_item_get_hint (self->item);
  g_autofree char *problem = dlg_outbox_describe_problem (dlg_outbox_item_get_problem (self->item));
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autofree char *hint_text = NULL;

  gtk_image_set_from_icon_name (self->state_icon, dlg_outbox_state_get_icon_name (state));
  gtk_label_set_label (self->state_label, dlg_outbox_state_get_label (state));
  gtk_widget_remove_css_class (GTK_WIDGET (self->state_box), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->state_box), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->state_box), "accent");

  switch (state)
    {
    case DLG_OUTBOX_DELIVERED:
      {
        g_autoptr(GDateTime) server_time = NULL;
        g_autofree char *when = NULL;
        g_autofree char *receipt = describe_receipt (dlg_outbox_item_get_receipt (self->item));
        const char *received_at = dlg_outbox_item_get_received_at (self->item);

        if (received_at != NULL)
          server_time = g_date_time_new_from_iso8601 (received_at, NULL);
        when = dlg_sync_format_time (server_time ? server_time : dlg_outbox_item_get_delivered_at (self->item));
        /* TRANSLATORS: %s is a time, e.g. "today at 14:05" */
        g_string_append_printf (detail, _("The server acknowledged it, stored, %s."), when);
        if (receipt != NULL)
          g_string_append_printf (detail, "\n%s", receipt);
        gtk_widget_add_css_class (GTK_WIDGET (self->state_box), "success");
      }
      break;

    case DLG_OUTBOX_SENDING:
      g_string_append (detail, _("On its way to the server."));
      gtk_widget_add_css_class (GTK_WIDGET (self->state_box), "accent");
      break;

    case DLG_OUTBOX_REJECTED:
      g_string_append (detail, problem ? problem : _("The server refused it."));
      if (error != NULL)
        g_string_append_printf (detail, "\n%s", error);
      g_string_append_c (detail, '\n');
      g_string_append (detail, _("It is kept here as signed; nothing was deleted."));
      gtk_widget_add_css_class (GTK_WIDGET (self->state_box), "error");
      break;

    case DLG_OUTBOX_QUEUED:
    default:
      if (error == NULL)
        g_string_append (detail, _("Waiting to be sent."));
      else
        {
          GDateTime *next = dlg_outbox_item_get_next_attempt (self->item);
          guint attempts = dlg_outbox_item_get_attempts (self->item);

          /* The error says what went wrong already, in full. */
          g_string_append (detail, error);
          g_string_append_c (detail, '\n');
          g_string_append_printf (detail, g_dngettext (GETTEXT_PACKAGE, "Tried %u time.", "Tried %u times.", attempts),
                                  attempts);
          if (next != NULL)
            {
              g_autofree char *when = dlg_sync_format_time (next);

              g_string_append_c (detail, ' ');
              /* TRANSLATORS: %s is a time, e.g. "today at 14:05" */
              g_string_append_printf (detail, _("Next try %s."), when);
            }
        }
      break;
    }

  gtk_label_set_label (self->detail_label, detail->str);

  if (hint != NULL && state == DLG_OUTBOX_REJECTED)
    /* TRANSLATORS: followed by what the person can do about a problem */
    hint_text = g_strdup_printf (_("What to do: %s"), hint);
  else if (hint != NULL)
    hint_text = g_strdup (hint);
  gtk_label_set_label (self->hint_label, hint_text ? hint_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), hint_text != NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), state == DLG_OUTBOX_QUEUED);
  gtk_widget_set_visible (GTK_WIDGET (self->send_again_button), state == DLG_OUTBOX_REJECTED);

  /* The row read as one sentence: what it is, then its state. */
  {
    g_autofree char *summary = g_strdup_printf ("%s. %s.", gtk_label_get_label (self->title_label),
                                                dlg_outbox_state_get_label (state));

    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, summary,
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, detail->str, -1);
  }
}

static void
dlg_outbox_row_dispose (GObject *object)
{
  DlgOutboxRow *self = (DlgOutboxRow *)object;

  if (self->item != NULL)
    g_signal_handlers_disconnect_by_data (self->item, self);
  g_clear_object (&self->item);

  G_OBJECT_CLASS (dlg_outbox_row_parent_class)->dispose (object);
}

static void
dlg_outbox_row_class_init (DlgOutboxRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dlg_outbox_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dlg-outbox-row.ui");
  gtk_widget_class_bind_template_child (widget_class, DlgOutboxRow, kind_icon);
  gtk_widget_class_bind_template_child (widget_class, DlgOutboxRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, DlgOutboxRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, DlgOutboxRow, state_box);
  gtk_widget_class_bind_template_child (widget_class, DlgOutboxRow, state_icon);
  gtk_widget_class_bind_template_child (widget_class, DlgOutboxRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, DlgOutboxRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, DlgOutboxRow, hint_label);
  gtk_widget_class_bind_template_child (widget_class, DlgOutboxRow, save_button);
  gtk_widget_class_bind_template_child (widget_class, DlgOutboxRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, DlgOutboxRow, send_again_button);
}

static void
dlg_outbox_row_init (DlgOutboxRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * dlg_outbox_row_new:
 * @title: what the document is, e.g. the assessment's title
 * @subtitle: (nullable): more about it, e.g. the period
 */
GtkWidget *
dlg_outbox_row_new (DlgOutboxItem *item,
                    const char    *title,
                    const char    *subtitle)
{
  DlgOutboxRow *self;
  GVariant *target;
  gboolean review;

  g_return_val_if_fail (DLG_IS_OUTBOX_ITEM (item), NULL);

  self = g_object_new (DLG_TYPE_OUTBOX_ROW, NULL);
  self->item = g_object_ref (item);
  review = dlg_outbox_item_get_kind (item) == DLG_SIGNED_REVIEW;

  gtk_image_set_from_icon_name (self->kind_icon, review ? "mail-replied-symbolic" : "x-office-document-symbolic");
  gtk_label_set_label (self->title_label, title);
  gtk_label_set_label (self->subtitle_label, subtitle ? subtitle : "");
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), subtitle != NULL && *subtitle != '\0');
  gtk_button_set_label (self->save_button, review ? _("Save Review _File…") : _("Save Report _File…"));

  /* The same buttons on every row: say which document each is for. */
  target = g_variant_ref_sink (g_variant_new_string (dlg_outbox_item_get_id (item)));
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->save_button), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->retry_button), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->send_again_button), target);
  g_variant_unref (target);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->save_button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, title, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->retry_button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, title, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->send_again_button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  title, -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->retry_button), _("Try now rather than at the next retry time"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->send_again_button),
                               _("Once the problem is fixed, send it again as it was signed"));

  g_signal_connect_swapped (item, "notify", G_CALLBACK (update), self);
  update (self);
  return GTK_WIDGET (self);
}

/**
 * dlg_outbox_row_get_item:
 *
 * Returns: (transfer none): the document shown
 */
DlgOutboxItem *
dlg_outbox_row_get_item (DlgOutboxRow *self)
{
  g_return_val_if_fail (DLG_IS_OUTBOX_ROW (self), NULL);
  return self->item;
}
