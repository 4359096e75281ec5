/* dlg-trust-store.c - the public keys of organisations we know
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A buyer checks a supplier's report against the supplier's public key,
 * which the buyer received some other way (e-mail, the supplier's website,
 * a contract annex) and compared by fingerprint. This list remembers those
 * keys, who they belong to, and whether the user has said they trust them.
 * Keys are never taken from the reports themselves.
 *
 * The list lives in trust.json in the user data folder. Each change is
 * written through a synced temporary file renamed over the old one, so the
 * file is always the old list or the new one. A file we cannot read is
 * reported and left exactly as it is: it may hold the only copy of keys the
 * user checked by hand, and a newer Diligence may have written it.
 */

#define G_LOG_DOMAIN "dlg-trust-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "dlg-base64url.h"
#include "dlg-file.h"
#include "dlg-json.h"
#include "dlg-trust-store.h"

#define MAX_NAME_LENGTH 1024

/* ------------------------------------------------------------------------ */
/* DlgTrustedKey                                                            */
/* ------------------------------------------------------------------------ */

struct _DlgTrustedKey
{
  GObject    parent_instance;

  DlgKey    *key;
  char      *organisation_name;
  char      *organisation_id;
  gboolean   trusted;
  GDateTime *added;
};

G_DEFINE_FINAL_TYPE (DlgTrustedKey, dlg_trusted_key, G_TYPE_OBJECT)

enum {
  KEY_PROP_0,
  KEY_PROP_KEY,
  KEY_PROP_ID,
  KEY_PROP_ORGANISATION_NAME,
  KEY_PROP_ORGANISATION_ID,
  KEY_PROP_TRUSTED,
  KEY_N_PROPS
};

static GParamSpec *key_properties[KEY_N_PROPS];

static void
dlg_trusted_key_finalize (GObject *object)
{
  DlgTrustedKey *self = (DlgTrustedKey *) object;

  g_clear_object (&self->key);
  g_clear_pointer (&self->organisation_name, g_free);
  g_clear_pointer (&self->organisation_id, g_free);
  g_clear_pointer (&self->added, g_date_time_unref);

  G_OBJECT_CLASS (dlg_trusted_key_parent_class)->finalize (object);
}

static void
dlg_trusted_key_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DlgTrustedKey *self = DLG_TRUSTED_KEY (object);

  switch (prop_id)
    {
    case KEY_PROP_KEY:
      g_value_set_object (value, self->key);
      break;
    case KEY_PROP_ID:
      g_value_set_string (value, dlg_key_get_id (self->key));
      break;
    case KEY_PROP_ORGANISATION_NAME:
      g_value_set_string (value, self->organisation_name);
      break;
    case KEY_PROP_ORGANISATION_ID:
      g_value_set_string (value, self->organisation_id);
      break;
    case KEY_PROP_TRUSTED:
      g_value_set_boolean (value, self->trusted);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dlg_trusted_key_class_init (DlgTrustedKeyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dlg_trusted_key_finalize;
  object_class->get_property = dlg_trusted_key_get_property;

  key_properties[KEY_PROP_KEY] =
    g_param_spec_object ("key", NULL, NULL, DLG_TYPE_KEY,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  key_properties[KEY_PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  key_properties[KEY_PROP_ORGANISATION_NAME] =
    g_param_spec_string ("organisation-name", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  key_properties[KEY_PROP_ORGANISATION_ID] =
    g_param_spec_string ("organisation-id", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  key_properties[KEY_PROP_TRUSTED] =
    g_param_spec_boolean ("trusted", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, KEY_N_PROPS, key_properties);
}

static void
dlg_trusted_key_init (DlgTrustedKey *self)
{
}

static DlgTrustedKey *
trusted_key_new (DlgKey     *key,
                 const char *organisation_name,
                 const char *organisation_id,
                 gboolean    trusted,
                 GDateTime  *added)
{
  DlgTrustedKey *self = g_object_new (DLG_TYPE_TRUSTED_KEY, NULL);

  self->key = dlg_key_get_public (key);
  self->organisation_name = g_strdup (organisation_name);
  self->organisation_id = g_strdup (organisation_id);
  self->trusted = trusted;
  self->added = g_date_time_ref (added);
  return self;
}

/**
 * dlg_trusted_key_get_key:
 *
 * Returns: (transfer none): the public key
 */
DlgKey *
dlg_trusted_key_get_key (DlgTrustedKey *self)
{
  g_return_val_if_fail (DLG_IS_TRUSTED_KEY (self), NULL);

  return self->key;
}

const char *
dlg_trusted_key_get_id (DlgTrustedKey *self)
{
  g_return_val_if_fail (DLG_IS_TRUSTED_KEY (self), NULL);

  return dlg_key_get_id (self->key);
}

char *
dlg_trusted_key_get_fingerprint (DlgTrustedKey *self)
{
  g_return_val_if_fail (DLG_IS_TRUSTED_KEY (self), NULL);

  return dlg_key_get_fingerprint (self->key);
}

const char *
dlg_trusted_key_get_organisation_name (DlgTrustedKey *self)
{
  g_return_val_if_fail (DLG_IS_TRUSTED_KEY (self), NULL);

  return self->organisation_name;
}

/**
 * dlg_trusted_key_get_organisation_id:
 *
 * Returns: (nullable): the organisation's enterprise or VAT number
 */
const char *
dlg_trusted_key_get_organisation_id (DlgTrustedKey *self)
{
  g_return_val_if_fail (DLG_IS_TRUSTED_KEY (self), NULL);

  return self->organisation_id;
}

/**
 * dlg_trusted_key_get_trusted:
 *
 * Returns: %TRUE if the user has said that this key is the organisation's
 *   (typically after comparing the fingerprint with them)
 */
gboolean
dlg_trusted_key_get_trusted (DlgTrustedKey *self)
{
  g_return_val_if_fail (DLG_IS_TRUSTED_KEY (self), FALSE);

  return self->trusted;
}

/**
 * dlg_trusted_key_get_added:
 *
 * Returns: (transfer none): when the key was added, in UTC
 */
GDateTime *
dlg_trusted_key_get_added (DlgTrustedKey *self)
{
  g_return_val_if_fail (DLG_IS_TRUSTED_KEY (self), NULL);

  return self->added;
}

/* ------------------------------------------------------------------------ */
/* DlgTrustStore                                                            */
/* ------------------------------------------------------------------------ */

struct _DlgTrustStore
{
  GObject    parent_instance;

  char      *path;
  GPtrArray *items;   /* DlgTrustedKey* */
};

static void dlg_trust_store_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DlgTrustStore, dlg_trust_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, dlg_trust_store_list_model_init))

G_DEFINE_QUARK (dlg-trust-store-error-quark, dlg_trust_store_error)

static void
dlg_trust_store_finalize (GObject *object)
{
  DlgTrustStore *self = (DlgTrustStore *) object;

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (dlg_trust_store_parent_class)->finalize (object);
}

static void
dlg_trust_store_class_init (DlgTrustStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dlg_trust_store_finalize;
}

static void
dlg_trust_store_init (DlgTrustStore *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

static GType
list_get_item_type (GListModel *model)
{
  return DLG_TYPE_TRUSTED_KEY;
}

static guint
list_get_n_items (GListModel *model)
{
  return DLG_TRUST_STORE (model)->items->len;
}

static gpointer
list_get_item (GListModel *model,
               guint       position)
{
  DlgTrustStore *self = DLG_TRUST_STORE (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
dlg_trust_store_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = list_get_item_type;
  iface->get_n_items = list_get_n_items;
  iface->get_item = list_get_item;
}

/**
 * dlg_trust_store_get_default_path:
 *
 * Returns: (transfer full): where the list of known keys lives:
 *   `$XDG_DATA_HOME/io.github.diligence.Diligence/trust.json`
 */
char *
dlg_trust_store_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), APP_ID, "trust.json", NULL);
}

static gboolean
set_corrupt (GError     **error,
             const char  *path,
             const char  *detail)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, DLG_TRUST_STORE_ERROR, DLG_TRUST_STORE_ERROR_CORRUPT,
               _("The list of known keys “%s” cannot be read: %s. "
                 "It was left untouched; repair or move it away to start a new list."),
               display, detail);
  return FALSE;
}

static gboolean
check_name (const char  *organisation_name,
            const char  *organisation_id,
            GError     **error)
{
  if (organisation_name == NULL || *organisation_name == '\0' ||
      !g_utf8_validate (organisation_name, -1, NULL) ||
      strlen (organisation_name) > MAX_NAME_LENGTH)
    {
      g_set_error (error, DLG_TRUST_STORE_ERROR, DLG_TRUST_STORE_ERROR_INVALID,
                   _("Give the name of the organisation the key belongs to."));
      return FALSE;
    }
  if (organisation_id != NULL &&
      (!g_utf8_validate (organisation_id, -1, NULL) || strlen (organisation_id) > MAX_NAME_LENGTH))
    {
      g_set_error (error, DLG_TRUST_STORE_ERROR, DLG_TRUST_STORE_ERROR_INVALID,
                   _("The organisation's enterprise or VAT number is not valid text."));
      return FALSE;
    }
  return TRUE;
}

static const char *
member_string (const DlgJsonValue *object,
               const char         *name)
{
  const DlgJsonValue *v = dlg_json_get (object, name);

  /* Strings with a nul byte inside would be cut short: refuse them. */
  if (v == NULL || !dlg_json_is_string (v) || strlen (v->string) != v->length)
    return NULL;
  return v->string;
}

static gboolean
load_entry (DlgTrustStore       *self,
            const DlgJsonValue  *entry,
            guint                index,
            GHashTable          *seen,
            GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) x = NULL;
  g_autoptr(DlgKey) key = NULL;
  g_autoptr(GDateTime) added = NULL;
  g_autofree char *detail = NULL;
  const DlgJsonValue *organisation;
  const DlgJsonValue *trusted;
  const DlgJsonValue *org_id;
  const char *kid;
  const char *x64;
  const char *name;
  const char *added_at;

  if (!dlg_json_is_object (entry) ||
      !(kid = member_string (entry, "kid")) ||
      !(x64 = member_string (entry, "x")) ||
      !(organisation = dlg_json_get (entry, "organisation")) || !dlg_json_is_object (organisation) ||
      !(name = member_string (organisation, "name")) ||
      !(trusted = dlg_json_get (entry, "trusted")) || !dlg_json_is_boolean (trusted) ||
      !(added_at = member_string (entry, "added_at")))
    {
      detail = g_strdup_printf (_("key %u lacks “kid”, “x”, “organisation”, “trusted” or “added_at”, "
                                  "or one of them has the wrong type"), index + 1);
      return set_corrupt (error, self->path, detail);
    }

  org_id = dlg_json_get (organisation, "id");
  if (org_id != NULL && !dlg_json_is_null (org_id) && member_string (organisation, "id") == NULL)
    {
      detail = g_strdup_printf (_("the organisation id of key %u is not text"), index + 1);
      return set_corrupt (error, self->path, detail);
    }

  x = dlg_base64url_decode (x64, strlen (x64), &local_error);
  if (x != NULL)
    key = dlg_key_new_from_raw_public (g_bytes_get_data (x, NULL), g_bytes_get_size (x), &local_error);
  if (key == NULL)
    {
      detail = g_strdup_printf (_("key %u is not a valid Ed25519 public key (%s)"), index + 1, local_error->message);
      return set_corrupt (error, self->path, detail);
    }

  /* The id is recomputed, never believed: a damaged or edited file must
   * not make one organisation's key answer to another's id. */
  if (strcmp (kid, dlg_key_get_id (key)) != 0)
    {
      detail = g_strdup_printf (_("the id of key %u does not match the key"), index + 1);
      return set_corrupt (error, self->path, detail);
    }

  if (g_hash_table_contains (seen, kid))
    {
      detail = g_strdup_printf (_("key %s is listed twice"), kid);
      return set_corrupt (error, self->path, detail);
    }

  added = g_date_time_new_from_iso8601 (added_at, NULL);
  if (added == NULL)
    {
      detail = g_strdup_printf (_("the date of key %u is not a valid date"), index + 1);
      return set_corrupt (error, self->path, detail);
    }

  if (!check_name (name, org_id && !dlg_json_is_null (org_id) ? org_id->string : NULL, NULL))
    {
      detail = g_strdup_printf (_("the organisation of key %u has an empty or overlong name or id"), index + 1);
      return set_corrupt (error, self->path, detail);
    }

  g_hash_table_add (seen, (gpointer) kid);
  g_ptr_array_add (self->items,
                   trusted_key_new (key, name,
                                    org_id && !dlg_json_is_null (org_id) ? org_id->string : NULL,
                                    trusted->boolean, added));
  return TRUE;
}

/* Reads the list from the bytes of trust.json; self->path names it in
 * messages. */
static gboolean
load_bytes (DlgTrustStore  *self,
            GBytes         *bytes,
            GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(DlgJsonDoc) doc = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const DlgJsonValue *root;
  const DlgJsonValue *keys;
  const char *format;
  guint line = 0;
  guint column = 0;

  if (g_bytes_get_size (bytes) > DLG_JSON_MAX_SIZE)
    return set_corrupt (error, self->path, _("it is too large to be a list of keys"));

  doc = dlg_json_doc_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                            &line, &column, &local_error);
  if (doc == NULL)
    {
      g_autofree char *detail = g_strdup_printf (_("line %u, column %u: %s"), line, column, local_error->message);
      return set_corrupt (error, self->path, detail);
    }

  root = dlg_json_doc_get_root (doc);
  if (!dlg_json_is_object (root) || !(format = member_string (root, "format")))
    return set_corrupt (error, self->path, _("it is not a list of keys"));

  if (strcmp (format, DLG_TRUST_STORE_FORMAT) != 0)
    {
      g_autofree char *display = g_filename_display_name (self->path);

      if (g_str_has_prefix (format, "diligence-trust/"))
        {
          g_set_error (error, DLG_TRUST_STORE_ERROR, DLG_TRUST_STORE_ERROR_NEWER_FORMAT,
                       _("The list of known keys “%s” was written by a newer version of Diligence. "
                         "It was left untouched; update Diligence to use it."),
                       display);
          return FALSE;
        }
      return set_corrupt (error, self->path, _("it is not a list of keys"));
    }

  keys = dlg_json_get (root, "keys");
  if (keys == NULL || !dlg_json_is_array (keys))
    return set_corrupt (error, self->path, _("“keys” is missing or not a list"));

  for (guint i = 0; i < keys->length; i++)
    if (!load_entry (self, keys->elements[i], i, seen, error))
      {
        g_ptr_array_set_size (self->items, 0);
        return FALSE;
      }

  return TRUE;
}

static gboolean
load (DlgTrustStore  *self,
      GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = dlg_file_read (self->path, DLG_JSON_MAX_SIZE, &local_error);
  if (bytes == NULL)
    {
      /* No file yet: an empty list. */
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return load_bytes (self, bytes, error);
}

/* Writes the whole list. On failure nothing on disk has changed. */
static gboolean
save (DlgTrustStore  *self,
      GError        **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *dir = g_path_get_dirname (self->path);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, DLG_TRUST_STORE_FORMAT);
  json_builder_set_member_name (builder, "keys");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->items->len; i++)
    {
      DlgTrustedKey *item = g_ptr_array_index (self->items, i);
      g_autoptr(GBytes) x = dlg_key_get_public_raw (item->key);
      g_autofree char *x64 = dlg_base64url_encode (g_bytes_get_data (x, NULL), g_bytes_get_size (x));
      g_autofree char *added = g_date_time_format_iso8601 (item->added);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kid");
      json_builder_add_string_value (builder, dlg_key_get_id (item->key));
      json_builder_set_member_name (builder, "x");
      json_builder_add_string_value (builder, x64);
      json_builder_set_member_name (builder, "organisation");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, item->organisation_name);
      json_builder_set_member_name (builder, "id");
      if (item->organisation_id)
        json_builder_add_string_value (builder, item->organisation_id);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "trusted");
      json_builder_add_boolean_value (builder, item->trusted);
      json_builder_set_member_name (builder, "added_at");
      json_builder_add_string_value (builder, added);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, DLG_TRUST_STORE_ERROR, DLG_TRUST_STORE_ERROR_WRITE,
                   _("The list of known keys could not be saved: %s. Nothing was changed."),
                   g_strerror (saved_errno));
      return FALSE;
    }

  if (!dlg_json_write_file (root, self->path, &local_error))
    {
      g_set_error (error, DLG_TRUST_STORE_ERROR, DLG_TRUST_STORE_ERROR_WRITE,
                   _("The list of known keys could not be saved: %s. Nothing was changed."),
                   local_error->message);
      return FALSE;
    }

  return TRUE;
}

/**
 * dlg_trust_store_open:
 * @path: (nullable): the list's file, or %NULL for the default
 *   (dlg_trust_store_get_default_path())
 * @error: a #GError
 *
 * Reads the list of known keys; a missing file is an empty list. A file
 * that cannot be read is an error, and is never overwritten.
 *
 * Returns: (transfer full): the list, or %NULL with @error set
 */
DlgTrustStore *
dlg_trust_store_open (const char  *path,
                      GError     **error)
{
  g_autoptr(DlgTrustStore) self = g_object_new (DLG_TYPE_TRUST_STORE, NULL);

  self->path = path ? g_strdup (path) : dlg_trust_store_get_default_path ();
  if (!load (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * dlg_trust_store_new_from_bytes:
 * @bytes: the contents of a list of known keys, as in trust.json
 * @path: where the list is saved when it changes, and the name given in
 *   messages
 * @error: a #GError
 *
 * Reads a list of known keys exactly as dlg_trust_store_open() reads its
 * file, from bytes that came some other way: a copy kept in a backup, or
 * a fuzzer's input. Nothing is written until the list is changed.
 *
 * Returns: (transfer full): the list, or %NULL with @error set
 */
DlgTrustStore *
dlg_trust_store_new_from_bytes (GBytes      *bytes,
                                const char  *path,
                                GError     **error)
{
  g_autoptr(DlgTrustStore) self = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (DLG_TYPE_TRUST_STORE, NULL);
  self->path = g_strdup (path);
  if (!load_bytes (self, bytes, error))
    return NULL;
  return g_steal_pointer (&self);
}

const char *
dlg_trust_store_get_path (DlgTrustStore *self)
{
  g_return_val_if_fail (DLG_IS_TRUST_STORE (self), NULL);

  return self->path;
}

static guint
find (DlgTrustStore *self,
      const char    *key_id)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      DlgTrustedKey *item = g_ptr_array_index (self->items, i);

      if (strcmp (dlg_key_get_id (item->key), key_id) == 0)
        return i;
    }
  return G_MAXUINT;
}

/**
 * dlg_trust_store_lookup:
 * @self: the list
 * @key_id: a key id, e.g. a JWS "kid"
 *
 * Returns: (transfer none) (nullable): the known key, or %NULL
 */
DlgTrustedKey *
dlg_trust_store_lookup (DlgTrustStore *self,
                        const char    *key_id)
{
  guint i;

  g_return_val_if_fail (DLG_IS_TRUST_STORE (self), NULL);
  g_return_val_if_fail (key_id != NULL, NULL);

  i = find (self, key_id);
  return i == G_MAXUINT ? NULL : g_ptr_array_index (self->items, i);
}

/**
 * dlg_trust_store_list:
 *
 * Returns: (transfer container) (element-type DlgTrustedKey): every known
 *   key, in the order they were added
 */
GPtrArray *
dlg_trust_store_list (DlgTrustStore *self)
{
  GPtrArray *list;

  g_return_val_if_fail (DLG_IS_TRUST_STORE (self), NULL);

  list = g_ptr_array_new_full (self->items->len, g_object_unref);
  for (guint i = 0; i < self->items->len; i++)
    g_ptr_array_add (list, g_object_ref (g_ptr_array_index (self->items, i)));
  return list;
}

static gboolean
set_not_found (GError     **error,
               const char  *key_id)
{
  g_set_error (error, DLG_TRUST_STORE_ERROR, DLG_TRUST_STORE_ERROR_NOT_FOUND,
               _("There is no known key with the id %s."), key_id);
  return FALSE;
}

/**
 * dlg_trust_store_add:
 * @self: the list
 * @key: a key (only its public half is kept)
 * @organisation_name: who the key belongs to, as the user knows them
 * @organisation_id: (nullable): their enterprise or VAT number
 * @trusted: whether the user has checked the fingerprint already
 * @error: a #GError
 *
 * Adds @key and saves the list.
 *
 * Returns: (transfer none): the new entry, or %NULL with @error set
 */
DlgTrustedKey *
dlg_trust_store_add (DlgTrustStore  *self,
                     DlgKey         *key,
                     const char     *organisation_name,
                     const char     *organisation_id,
                     gboolean        trusted,
                     GError        **error)
{
  g_autoptr(GDateTime) now = NULL;
  DlgTrustedKey *existing;
  DlgTrustedKey *item;

  g_return_val_if_fail (DLG_IS_TRUST_STORE (self), NULL);
  g_return_val_if_fail (DLG_IS_KEY (key), NULL);

  if (!check_name (organisation_name, organisation_id, error))
    return NULL;

  if ((existing = dlg_trust_store_lookup (self, dlg_key_get_id (key))) != NULL)
    {
      g_set_error (error, DLG_TRUST_STORE_ERROR, DLG_TRUST_STORE_ERROR_EXISTS,
                   _("This key is known already, as the key of “%s”."),
                   existing->organisation_name);
      return NULL;
    }

  now = g_date_time_new_now_utc ();
  item = trusted_key_new (key, organisation_name,
                          organisation_id && *organisation_id ? organisation_id : NULL,
                          trusted, now);
  g_ptr_array_add (self->items, item);

  if (!save (self, error))
    {
      g_ptr_array_remove_index (self->items, self->items->len - 1);
      return NULL;
    }

  g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - 1, 0, 1);
  return item;
}

/**
 * dlg_trust_store_import_file:
 * @path: a public key file: a JSON Web Key or SPKI PEM (a private key
 *   file is accepted too, and only its public half kept)
 *
 * Reads a key from a file and adds it, as dlg_trust_store_add() does.
 *
 * Returns: (transfer none): the new entry, or %NULL with @error set (in
 *   %DLG_KEY_ERROR when the file is not a usable key)
 */
DlgTrustedKey *
dlg_trust_store_import_file (DlgTrustStore  *self,
                             const char     *path,
                             const char     *organisation_name,
                             const char     *organisation_id,
                             gboolean        trusted,
                             GError        **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(DlgKey) key = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (DLG_IS_TRUST_STORE (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (!(bytes = dlg_file_read (path, DLG_KEY_MAX_FILE_SIZE, error)))
    return NULL;

  key = dlg_key_new_from_data (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &local_error);
  if (key == NULL)
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, local_error->domain, local_error->code,
                   "%s: %s", display, local_error->message);
      return NULL;
    }

  return dlg_trust_store_add (self, key, organisation_name, organisation_id, trusted, error);
}

/**
 * dlg_trust_store_set_trusted:
 *
 * Marks a key trusted or not, and saves the list.
 */
gboolean
dlg_trust_store_set_trusted (DlgTrustStore  *self,
                             const char     *key_id,
                             gboolean        trusted,
                             GError        **error)
{
  DlgTrustedKey *item;

  g_return_val_if_fail (DLG_IS_TRUST_STORE (self), FALSE);
  g_return_val_if_fail (key_id != NULL, FALSE);

  if (!(item = dlg_trust_store_lookup (self, key_id)))
    return set_not_found (error, key_id);

  trusted = !!trusted;
  if (item->trusted == trusted)
    return TRUE;

  item->trusted = trusted;
  if (!save (self, error))
    {
      item->trusted = !trusted;
      return FALSE;
    }

  g_object_notify_by_pspec (G_OBJECT (item), key_properties[KEY_PROP_TRUSTED]);
  return TRUE;
}

/**
 * dlg_trust_store_set_organisation:
 * @organisation_id: (nullable): the enterprise or VAT number
 *
 * Changes who a key is said to belong to, and saves the list.
 */
gboolean
dlg_trust_store_set_organisation (DlgTrustStore  *self,
                                  const char     *key_id,
                                  const char     *organisation_name,
                                  const char     *organisation_id,
                                  GError        **error)
{
  DlgTrustedKey *item;
  g_autofree char *old_name = NULL;
  g_autofree char *old_id = NULL;
  gboolean name_changed;
  gboolean id_changed;

  g_return_val_if_fail (DLG_IS_TRUST_STORE (self), FALSE);
  g_return_val_if_fail (key_id != NULL, FALSE);

  if (!(item = dlg_trust_store_lookup (self, key_id)))
    return set_not_found (error, key_id);
  if (!check_name (organisation_name, organisation_id, error))
    return FALSE;

  if (organisation_id != NULL && *organisation_id == '\0')
    organisation_id = NULL;

  name_changed = g_strcmp0 (item->organisation_name, organisation_name) != 0;
  id_changed = g_strcmp0 (item->organisation_id, organisation_id) != 0;
  if (!name_changed && !id_changed)
    return TRUE;

  old_name = g_steal_pointer (&item->organisation_name);
  old_id = g_steal_pointer (&item->organisation_id);
  item->organisation_name = g_strdup (organisation_name);
  item->organisation_id = g_strdup (organisation_id);

  if (!save (self, error))
    {
      g_free (item->organisation_name);
      g_free (item->organisation_id);
      item->organisation_name = g_steal_pointer (&old_name);
      item->organisation_id = g_steal_pointer (&old_id);
      return FALSE;
    }

  if (name_changed)
    g_object_notify_by_pspec (G_OBJECT (item), key_properties[KEY_PROP_ORGANISATION_NAME]);
  if (id_changed)
    g_object_notify_by_pspec (G_OBJECT (item), key_properties[KEY_PROP_ORGANISATION_ID]);
  return TRUE;
}

/**
 * dlg_trust_store_remove:
 *
 * Forgets a key, and saves the list. Reports signed with it can no longer
 * be verified until it is imported again.
 */
gboolean
dlg_trust_store_remove (DlgTrustStore  *self,
                        const char     *key_id,
                        GError        **error)
{
  DlgTrustedKey *item;
  guint i;

  g_return_val_if_fail (DLG_IS_TRUST_STORE (self), FALSE);
  g_return_val_if_fail (key_id != NULL, FALSE);

  i = find (self, key_id);
  if (i == G_MAXUINT)
    return set_not_found (error, key_id);

  item = g_ptr_array_steal_index (self->items, i);
  if (!save (self, error))
    {
      g_ptr_array_insert (self->items, i, item);
      return FALSE;
    }

  g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 0);
  g_object_unref (item);
  return TRUE;
}
