/* dlg-inbox.c - reports and reviews received, by file or by sync
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Whatever way a document arrives, it takes the same path in: the compact
 * JWS is parsed, the key it names must be one of our known keys (the trust
 * store), the signature is verified and the payload read by the report or
 * review reader, and the organisation it says it is from must be the one
 * that key belongs to. Only then is it kept, as its exact bytes, keyed by
 * its id: a report received as a file and again by sync is one report.
 *
 * Sync adds one step. A document signed with a key we do not know yet is
 * not refused outright: the sender's enrolled keys are fetched from the
 * server and remembered as known but not trusted, the signature checked
 * with them, and the document kept. The inbox then says it is signed with
 * a key nobody here confirmed, until someone compares its fingerprint and
 * trusts it. A file signed with an unknown key is refused: there is no one
 * to ask.
 */

#define G_LOG_DOMAIN "dlg-inbox"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dlg-inbox.h"
#include "dlg-jws.h"
#include "dlg-report.h"
#include "dlg-review.h"

/* A pull never reads more than this many pages of one kind. */
#define MAX_PAGES 100
#define PAGE_SIZE 100

/* ------------------------------------------------------------------------ */
/* DlgInboxItem                                                             */
/* ------------------------------------------------------------------------ */

struct _DlgInboxItem
{
  GObject        parent_instance;

  DlgInboxEntry *entry;
  GDateTime     *received_at;
};

G_DEFINE_FINAL_TYPE (DlgInboxItem, dlg_inbox_item, G_TYPE_OBJECT)

enum {
  ITEM_PROP_0,
  ITEM_PROP_ID,
  ITEM_PROP_KIND,
  ITEM_PROP_SENDER_ID,
  ITEM_PROP_SUBJECT_ID,
  ITEM_PROP_KEY_ID,
  ITEM_PROP_VIA,
  ITEM_PROP_RECEIVED_AT,
  ITEM_PROP_READ,
  N_ITEM_PROPS
};

static GParamSpec *item_properties[N_ITEM_PROPS];

static void
dlg_inbox_item_finalize (GObject *object)
{
  DlgInboxItem *self = DLG_INBOX_ITEM (object);

  dlg_inbox_entry_free (self->entry);
  g_clear_pointer (&self->received_at, g_date_time_unref);

  G_OBJECT_CLASS (dlg_inbox_item_parent_class)->finalize (object);
}

static void
dlg_inbox_item_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DlgInboxItem *self = DLG_INBOX_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_ID:
      g_value_set_string (value, self->entry->id);
      break;
    case ITEM_PROP_KIND:
      g_value_set_int (value, self->entry->kind);
      break;
    case ITEM_PROP_SENDER_ID:
      g_value_set_string (value, self->entry->sender_id);
      break;
    case ITEM_PROP_SUBJECT_ID:
      g_value_set_string (value, self->entry->subject_id);
      break;
    case ITEM_PROP_KEY_ID:
      g_value_set_string (value, self->entry->key_id);
      break;
    case ITEM_PROP_VIA:
      g_value_set_int (value, self->entry->via);
      break;
    case ITEM_PROP_RECEIVED_AT:
      g_value_set_boxed (value, self->received_at);
      break;
    case ITEM_PROP_READ:
      g_value_set_boolean (value, self->entry->read_at != 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dlg_inbox_item_class_init (DlgInboxItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = dlg_inbox_item_finalize;
  object_class->get_property = dlg_inbox_item_get_property;

  item_properties[ITEM_PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  item_properties[ITEM_PROP_KIND] = g_param_spec_int ("kind", NULL, NULL, 0, DLG_SIGNED_REVIEW, 0, flags);
  item_properties[ITEM_PROP_SENDER_ID] = g_param_spec_string ("sender-id", NULL, NULL, NULL, flags);
  item_properties[ITEM_PROP_SUBJECT_ID] = g_param_spec_string ("subject-id", NULL, NULL, NULL, flags);
  item_properties[ITEM_PROP_KEY_ID] = g_param_spec_string ("key-id", NULL, NULL, NULL, flags);
  item_properties[ITEM_PROP_VIA] = g_param_spec_int ("via", NULL, NULL, 0, 3, 0, flags);
  item_properties[ITEM_PROP_RECEIVED_AT] = g_param_spec_boxed ("received-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  item_properties[ITEM_PROP_READ] = g_param_spec_boolean ("read", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_ITEM_PROPS, item_properties);
}

static void
dlg_inbox_item_init (DlgInboxItem *self)
{
}

static DlgInboxItem *
item_new (DlgInboxEntry *entry)
{
  DlgInboxItem *self = g_object_new (DLG_TYPE_INBOX_ITEM, NULL);

  /* Bytes are read on demand, not held by the list. */
  g_clear_pointer (&entry->bytes, g_bytes_unref);
  self->entry = entry;
  self->received_at = g_date_time_new_from_unix_local (entry->received_at / G_USEC_PER_SEC);
  return self;
}

const char *
dlg_inbox_item_get_id (DlgInboxItem *self)
{
  g_return_val_if_fail (DLG_IS_INBOX_ITEM (self), NULL);
  return self->entry->id;
}

DlgSignedKind
dlg_inbox_item_get_kind (DlgInboxItem *self)
{
  g_return_val_if_fail (DLG_IS_INBOX_ITEM (self), DLG_SIGNED_REPORT);
  return self->entry->kind;
}

/**
 * dlg_inbox_item_get_sender_id:
 *
 * Returns: the enterprise or VAT number of the organisation that signed it,
 *   as written in the document
 */
const char *
dlg_inbox_item_get_sender_id (DlgInboxItem *self)
{
  g_return_val_if_fail (DLG_IS_INBOX_ITEM (self), NULL);
  return self->entry->sender_id;
}

/**
 * dlg_inbox_item_get_subject_id:
 *
 * Returns: (nullable): for a review, the id of the report it is about
 */
const char *
dlg_inbox_item_get_subject_id (DlgInboxItem *self)
{
  g_return_val_if_fail (DLG_IS_INBOX_ITEM (self), NULL);
  return self->entry->subject_id;
}

const char *
dlg_inbox_item_get_key_id (DlgInboxItem *self)
{
  g_return_val_if_fail (DLG_IS_INBOX_ITEM (self), NULL);
  return self->entry->key_id;
}

const char *
dlg_inbox_item_get_sha256 (DlgInboxItem *self)
{
  g_return_val_if_fail (DLG_IS_INBOX_ITEM (self), NULL);
  return self->entry->sha256;
}

/**
 * dlg_inbox_item_get_via:
 *
 * Returns: how it arrived: by file, by sync, or both
 */
DlgReceivedVia
dlg_inbox_item_get_via (DlgInboxItem *self)
{
  g_return_val_if_fail (DLG_IS_INBOX_ITEM (self), 0);
  return self->entry->via;
}

/**
 * dlg_inbox_item_get_received_at:
 *
 * Returns: (transfer none): when it first arrived here, local time
 */
GDateTime *
dlg_inbox_item_get_received_at (DlgInboxItem *self)
{
  g_return_val_if_fail (DLG_IS_INBOX_ITEM (self), NULL);
  return self->received_at;
}

/**
 * dlg_inbox_item_get_server_received_at:
 *
 * Returns: (nullable): when the server received it, RFC 3339, for
 *   documents that came by sync
 */
const char *
dlg_inbox_item_get_server_received_at (DlgInboxItem *self)
{
  g_return_val_if_fail (DLG_IS_INBOX_ITEM (self), NULL);
  return self->entry->server_received_at;
}

gboolean
dlg_inbox_item_get_read (DlgInboxItem *self)
{
  g_return_val_if_fail (DLG_IS_INBOX_ITEM (self), FALSE);
  return self->entry->read_at != 0;
}

/* ------------------------------------------------------------------------ */
/* DlgInbox                                                                 */
/* ------------------------------------------------------------------------ */

struct _DlgInbox
{
  GObject        parent_instance;

  DlgStore      *store;
  DlgTrustStore *trust;
  GPtrArray     *items;     /* DlgInboxItem, newest first */
  GHashTable    *by_id;     /* id → DlgInboxItem, not owned */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DlgInbox, dlg_inbox, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_N_UNREAD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
list_model_get_item_type (GListModel *model)
{
  return DLG_TYPE_INBOX_ITEM;
}

static guint
list_model_get_n_items (GListModel *model)
{
  return DLG_INBOX (model)->items->len;
}

static gpointer
list_model_get_item (GListModel *model,
                     guint       position)
{
  DlgInbox *self = DLG_INBOX (model);

  return position < self->items->len ? g_object_ref (g_ptr_array_index (self->items, position)) : NULL;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_model_get_item_type;
  iface->get_n_items = list_model_get_n_items;
  iface->get_item = list_model_get_item;
}

static void
dlg_inbox_finalize (GObject *object)
{
  DlgInbox *self = DLG_INBOX (object);

  g_clear_object (&self->store);
  g_clear_object (&self->trust);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (dlg_inbox_parent_class)->finalize (object);
}

static void
dlg_inbox_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  DlgInbox *self = DLG_INBOX (object);

  switch (prop_id)
    {
    case PROP_N_UNREAD:
      g_value_set_uint (value, dlg_inbox_get_n_unread (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dlg_inbox_class_init (DlgInboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dlg_inbox_finalize;
  object_class->get_property = dlg_inbox_get_property;

  properties[PROP_N_UNREAD] =
    g_param_spec_uint ("n-unread", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dlg_inbox_init (DlgInbox *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * dlg_inbox_new:
 * @store: where received documents are kept
 * @trust: the keys we know, to verify them with
 *
 * Returns: (transfer full): the inbox, or %NULL with @error set
 */
DlgInbox *
dlg_inbox_new (DlgStore       *store,
               DlgTrustStore  *trust,
               GError        **error)
{
  g_autoptr(DlgInbox) self = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  g_return_val_if_fail (DLG_IS_STORE (store), NULL);
  g_return_val_if_fail (DLG_IS_TRUST_STORE (trust), NULL);

  entries = dlg_store_list_inbox (store, error);
  if (entries == NULL)
    return NULL;

  self = g_object_new (DLG_TYPE_INBOX, NULL);
  self->store = g_object_ref (store);
  self->trust = g_object_ref (trust);
  for (guint i = 0; i < entries->len; i++)
    {
      DlgInboxItem *item = item_new (g_steal_pointer (&g_ptr_array_index (entries, i)));

      g_ptr_array_add (self->items, item);
      g_hash_table_insert (self->by_id, g_strdup (item->entry->id), item);
    }
  return g_steal_pointer (&self);
}

DlgInboxItem *
dlg_inbox_lookup (DlgInbox   *self,
                  const char *id)
{
  g_return_val_if_fail (DLG_IS_INBOX (self), NULL);
  return g_hash_table_lookup (self->by_id, id);
}

guint
dlg_inbox_get_n_unread (DlgInbox *self)
{
  guint n = 0;

  g_return_val_if_fail (DLG_IS_INBOX (self), 0);

  for (guint i = 0; i < self->items->len; i++)
    if (!dlg_inbox_item_get_read (g_ptr_array_index (self->items, i)))
      n++;
  return n;
}

/**
 * dlg_inbox_is_trusted:
 *
 * Returns: %TRUE if the key that signed @item is one someone here confirmed
 *   (by comparing its fingerprint); %FALSE if it is only known, e.g. as the
 *   server gave it
 */
gboolean
dlg_inbox_is_trusted (DlgInbox     *self,
                      DlgInboxItem *item)
{
  DlgTrustedKey *key;

  g_return_val_if_fail (DLG_IS_INBOX (self), FALSE);
  g_return_val_if_fail (DLG_IS_INBOX_ITEM (item), FALSE);

  key = item->entry->key_id ? dlg_trust_store_lookup (self->trust, item->entry->key_id) : NULL;
  return key != NULL && dlg_trusted_key_get_trusted (key);
}

/**
 * dlg_inbox_get_bytes:
 *
 * Returns: (transfer full): the exact compact JWS as received
 */
GBytes *
dlg_inbox_get_bytes (DlgInbox    *self,
                     const char  *id,
                     GError     **error)
{
  g_return_val_if_fail (DLG_IS_INBOX (self), NULL);
  return dlg_store_get_signed_bytes (self->store, id, error);
}

gboolean
dlg_inbox_mark_read (DlgInbox    *self,
                     const char  *id,
                     GError     **error)
{
  DlgInboxItem *item;

  g_return_val_if_fail (DLG_IS_INBOX (self), FALSE);

  item = g_hash_table_lookup (self->by_id, id);
  if (item == NULL || item->entry->read_at != 0)
    return TRUE;
  if (!dlg_store_mark_read (self->store, id, error))
    return FALSE;
  item->entry->read_at = g_get_real_time ();
  g_object_notify_by_pspec (G_OBJECT (item), item_properties[ITEM_PROP_READ]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_UNREAD]);
  return TRUE;
}

/* The one way in: verify, read, check the sender, keep. */
static DlgInboxItem *
receive (DlgInbox        *self,
         GBytes          *bytes,
         DlgReceivedVia   via,
         const char      *server_received_at,
         GError         **error)
{
  g_autoptr(DlgJws) jws = NULL;
  g_autoptr(DlgReport) report = NULL;
  g_autoptr(DlgReview) review = NULL;
  g_autoptr(DlgInboxEntry) entry = NULL;
  g_autofree char *author = NULL, *owner = NULL;
  DlgTrustedKey *trusted;
  DlgInboxItem *item;
  const char *typ;
  gboolean is_new = FALSE;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  jws = dlg_jws_parse (data ? data : "", length, error);
  if (jws == NULL)
    return NULL;

  typ = dlg_jws_get_typ (jws);
  if (g_strcmp0 (typ, DLG_JWS_TYP_REPORT) != 0 && g_strcmp0 (typ, DLG_JWS_TYP_REVIEW) != 0)
    {
      g_set_error (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_REJECTED,
                   _("This is not a signed report or review (its type is “%s”)."), typ ? typ : "");
      return NULL;
    }

  trusted = dlg_trust_store_lookup (self->trust, dlg_jws_get_kid (jws));
  if (trusted == NULL)
    {
      g_set_error (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_UNKNOWN_KEY,
                   _("It is signed with a key you do not know yet (%s). Import the sender's public key, "
                     "compare its fingerprint with theirs, then open it again."), dlg_jws_get_kid (jws));
      return NULL;
    }

  entry = g_new0 (DlgInboxEntry, 1);
  if (g_str_equal (typ, DLG_JWS_TYP_REPORT))
    {
      report = dlg_report_new_from_jws (jws, dlg_trusted_key_get_key (trusted), error);
      if (report == NULL)
        return NULL;
      entry->kind = DLG_SIGNED_REPORT;
      entry->id = g_strdup (dlg_report_get_id (report));
      entry->sender_id = g_strdup (dlg_report_get_organisation_id (report));
    }
  else
    {
      review = dlg_review_new_from_jws (jws, dlg_trusted_key_get_key (trusted), error);
      if (review == NULL)
        return NULL;
      entry->kind = DLG_SIGNED_REVIEW;
      entry->id = g_strdup (dlg_review_get_id (review));
      entry->sender_id = g_strdup (dlg_review_get_reviewer (review)->id);
      entry->subject_id = g_strdup (dlg_review_get_report_id (review));
    }

  /* A key known for one organisation does not vouch for another. */
  author = dlg_organisation_id_normalise (entry->sender_id);
  owner = dlg_organisation_id_normalise (dlg_trusted_key_get_organisation_id (trusted));
  if (*owner != '\0' && !g_str_equal (author, owner))
    {
      g_set_error (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_FORBIDDEN,
                   _("It says it is from %s, but it is signed with a key of %s (%s). It was not kept."),
                   entry->sender_id, dlg_trusted_key_get_organisation_id (trusted),
                   dlg_trusted_key_get_organisation_name (trusted));
      return NULL;
    }

  entry->key_id = g_strdup (dlg_jws_get_kid (jws));
  entry->sha256 = dlg_sha256_hex (bytes);
  entry->bytes = g_bytes_ref (bytes);
  entry->via = via;
  entry->received_at = g_get_real_time ();
  entry->server_received_at = g_strdup (server_received_at);

  if (!dlg_store_add_received (self->store, entry, &is_new, error))
    return NULL;

  item = g_hash_table_lookup (self->by_id, entry->id);
  if (item != NULL)
    {
      /* The same document again, maybe by another way. */
      if ((item->entry->via & via) != via)
        {
          item->entry->via |= via;
          g_object_notify_by_pspec (G_OBJECT (item), item_properties[ITEM_PROP_VIA]);
        }
      if (item->entry->server_received_at == NULL && server_received_at != NULL)
        item->entry->server_received_at = g_strdup (server_received_at);
      return item;
    }

  item = item_new (g_steal_pointer (&entry));
  g_ptr_array_insert (self->items, 0, item);
  g_hash_table_insert (self->by_id, g_strdup (item->entry->id), item);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_UNREAD]);
  return item;
}

/**
 * dlg_inbox_add_file:
 * @jws: the contents of a `.jws` file
 *
 * Verifies a signed report or review received as a file and keeps it. The
 * key that signed it must be known (imported before); the same document
 * received by sync before is the same item.
 *
 * Returns: (transfer none): its item, or %NULL with @error set; nothing is
 *   kept then
 */
DlgInboxItem *
dlg_inbox_add_file (DlgInbox  *self,
                    GBytes    *jws,
                    GError   **error)
{
  g_return_val_if_fail (DLG_IS_INBOX (self), NULL);
  g_return_val_if_fail (jws != NULL, NULL);

  return receive (self, jws, DLG_RECEIVED_VIA_FILE, NULL, error);
}

/* ------------------------------------------------------------------------ */
/* Pulling from the server                                                  */
/* ------------------------------------------------------------------------ */

typedef struct
{
  DlgSyncClient *client;
  DlgSignedKind  kind;
  char          *cursor;
  guint          pages;
  GPtrArray     *pending;     /* DlgSyncListing, newest first */
  GPtrArray     *refused;     /* char *, "id: reason" */
  GHashTable    *keys_asked;  /* organisation ids whose keys we fetched */
  DlgSyncListing *current;
  guint          received;
} Pull;

static void
pull_free (Pull *pull)
{
  g_clear_object (&pull->client);
  g_free (pull->cursor);
  g_clear_pointer (&pull->pending, g_ptr_array_unref);
  g_clear_pointer (&pull->refused, g_ptr_array_unref);
  g_clear_pointer (&pull->keys_asked, g_hash_table_unref);
  dlg_sync_listing_free (pull->current);
  g_free (pull);
}

static void pull_list (GTask *task);
static void pull_fetch_next (GTask *task);

static void
pull_refuse (Pull           *pull,
             DlgSyncListing *listing,
             const GError   *error)
{
  g_ptr_array_add (pull->refused, g_strdup_printf ("%s %s: %s", dlg_signed_kind_to_string (listing->kind),
                                                   listing->id, error->message));
}

static void
keys_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data);

static void
fetched_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DlgInbox *self = g_task_get_source_object (task);
  Pull *pull = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;

  bytes = dlg_sync_client_fetch_finish (DLG_SYNC_CLIENT (source), result, &error);
  if (bytes == NULL)
    {
      /* Trouble with the server stops the pull; what came is kept. */
      if (dlg_sync_error_is_retryable (error) || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_UNAUTHORIZED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      pull_refuse (pull, pull->current, error);
      pull_fetch_next (g_steal_pointer (&task));
      return;
    }

  sha256 = dlg_sha256_hex (bytes);
  if (!g_str_equal (sha256, pull->current->sha256))
    {
      g_set_error (&error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_PROTOCOL,
                   _("The server sent other bytes than it listed."));
      pull_refuse (pull, pull->current, error);
      pull_fetch_next (g_steal_pointer (&task));
      return;
    }

  if (receive (self, bytes, DLG_RECEIVED_VIA_SYNC, pull->current->received_at, &error) != NULL)
    pull->received++;
  else if (g_error_matches (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_UNKNOWN_KEY) &&
           pull->current->sender_id != NULL &&
           !g_hash_table_contains (pull->keys_asked, pull->current->sender_id))
    {
      /* Ask the server for the sender's keys once, then try again. */
      const char *sender = pull->current->sender_id;
      GCancellable *cancellable = g_task_get_cancellable (task);

      g_hash_table_add (pull->keys_asked, g_strdup (sender));
      dlg_sync_client_get_keys_async (pull->client, sender, cancellable, keys_cb, g_steal_pointer (&task));
      return;
    }
  else
    pull_refuse (pull, pull->current, error);

  pull_fetch_next (g_steal_pointer (&task));
}

static void
keys_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DlgInbox *self = g_task_get_source_object (task);
  Pull *pull = g_task_get_task_data (task);
  DlgSyncListing *listing = pull->current;
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  keys = dlg_sync_client_get_keys_finish (DLG_SYNC_CLIENT (source), result, &name, &error);
  if (keys == NULL)
    {
      if (dlg_sync_error_is_retryable (error) || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_debug ("No keys for %s: %s", listing->sender_id, error->message);
    }

  /* Known, not trusted: nobody here compared their fingerprints yet. */
  for (guint i = 0; keys && i < keys->len; i++)
    {
      g_autoptr(GError) local = NULL;
      DlgTrustedKey *added;

      added = dlg_trust_store_add (self->trust, g_ptr_array_index (keys, i), name ? name : listing->sender_id,
                                   listing->sender_id, FALSE, &local);
      if (added == NULL && !g_error_matches (local, DLG_TRUST_STORE_ERROR, DLG_TRUST_STORE_ERROR_EXISTS))
        g_debug ("Could not remember a key of %s: %s", listing->sender_id, local->message);
    }

  /* The same document again, now that its sender's keys may be known. */
  g_ptr_array_add (pull->pending, g_steal_pointer (&pull->current));
  pull_fetch_next (g_steal_pointer (&task));
}

static void
pull_fetch_next (GTask *task)
{
  Pull *pull = g_task_get_task_data (task);

  g_clear_pointer (&pull->current, dlg_sync_listing_free);

  if (pull->pending->len == 0)
    {
      /* Reports done: now reviews. */
      if (pull->kind == DLG_SIGNED_REPORT)
        {
          pull->kind = DLG_SIGNED_REVIEW;
          g_clear_pointer (&pull->cursor, g_free);
          pull->pages = 0;
          pull_list (task);
          return;
        }
      g_task_return_int (task, pull->received);
      g_object_unref (task);
      return;
    }

  /* Oldest first, so that what arrives here keeps the server's order. */
  pull->current = g_ptr_array_steal_index (pull->pending, pull->pending->len - 1);
  dlg_sync_client_fetch_async (pull->client, pull->current->kind, pull->current->id,
                               g_task_get_cancellable (task), fetched_cb, task);
}

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  DlgInbox *self = g_task_get_source_object (task);
  Pull *pull = g_task_get_task_data (task);
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;
  gboolean reached_known = FALSE;

  page = dlg_sync_client_list_finish (DLG_SYNC_CLIENT (source), result, &next, &error);
  if (page == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  /* Newest first: stop at the first one we have. */
  while (page->len > 0 && !reached_known)
    {
      DlgSyncListing *listing = g_ptr_array_index (page, 0);

      if (dlg_store_has_document (self->store, listing->id))
        reached_known = TRUE;
      else
        g_ptr_array_add (pull->pending, g_ptr_array_steal_index (page, 0));
    }

  pull->pages++;
  g_free (pull->cursor);
  pull->cursor = g_steal_pointer (&next);
  if (!reached_known && pull->cursor != NULL && pull->pages < MAX_PAGES)
    {
      pull_list (task);
      return;
    }

  pull_fetch_next (task);
}

static void
pull_list (GTask *task)
{
  Pull *pull = g_task_get_task_data (task);

  dlg_sync_client_list_async (pull->client, pull->kind, pull->cursor, PAGE_SIZE,
                              g_task_get_cancellable (task), listed_cb, task);
}

/**
 * dlg_inbox_pull_async:
 *
 * Fetches the reports and reviews addressed to us that are not here yet,
 * verifies each like a file, and keeps those that pass.
 */
void
dlg_inbox_pull_async (DlgInbox            *self,
                      DlgSyncClient       *client,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task;
  Pull *pull;

  g_return_if_fail (DLG_IS_INBOX (self));
  g_return_if_fail (DLG_IS_SYNC_CLIENT (client));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dlg_inbox_pull_async);
  pull = g_new0 (Pull, 1);
  pull->client = g_object_ref (client);
  pull->kind = DLG_SIGNED_REPORT;
  pull->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) dlg_sync_listing_free);
  pull->refused = g_ptr_array_new_with_free_func (g_free);
  pull->keys_asked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_task_set_task_data (task, pull, (GDestroyNotify) pull_free);

  pull_list (task);
}

/**
 * dlg_inbox_pull_finish:
 * @refused: (out) (optional) (transfer full) (element-type utf8): what was
 *   not kept and why, one line each
 *
 * Returns: how many new documents were kept; 0 with @error set when the
 *   server could not be asked (what came before the failure is kept)
 */
guint
dlg_inbox_pull_finish (DlgInbox      *self,
                       GAsyncResult  *result,
                       GPtrArray    **refused,
                       GError       **error)
{
  Pull *pull;
  gssize n;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  pull = g_task_get_task_data (G_TASK (result));
  n = g_task_propagate_int (G_TASK (result), error);
  if (refused != NULL)
    *refused = g_ptr_array_ref (pull->refused);
  return n < 0 ? 0 : (guint) n;
}
