/* dlg-keyring.c - where our organisation's signing keys are kept
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The organisation's private key is kept in the desktop keyring (the
 * Secret Service, through libsecret), where it is encrypted with the
 * user's login password. Where no keyring can be reached (a desktop
 * without one, a bare SSH session) it is kept instead in a PKCS#8 file
 * readable only by the user, in the keys folder; the caller can tell which
 * with dlg_keyring_get_storage(), so that the user is told.
 *
 * Public information sits beside it in keys.json: every key we ever used,
 * with when it was made and retired, and where the current private key is.
 * Rotating makes a new current key and retires the old one: its private
 * half is deleted (a key replaced because it may have leaked must not sign
 * again) but its public half stays listed, so that reports signed with it
 * remain verifiable.
 *
 * Order of writes, so that a crash at any point loses nothing: the new
 * private key is stored first, keys.json (written atomically) is what makes
 * it current, and only then is the old private key deleted. A crash in
 * between leaves at worst an unused private key behind.
 *
 * The operations are asynchronous: libsecret may talk to the keyring over
 * D-Bus and the keyring may ask the user to unlock it; the file work runs
 * in a worker thread.
 */

#define G_LOG_DOMAIN "dlg-keyring"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <string.h>
#include <unistd.h>

#include "dlg-base64url.h"
#include "dlg-file.h"
#include "dlg-json.h"
#include "dlg-keyring.h"

static const SecretSchema key_schema = {
  .name = DLG_KEYRING_SCHEMA_NAME,
  .flags = SECRET_SCHEMA_NONE,
  .attributes = {
    { "key-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

typedef struct
{
  DlgKey            *key;       /* public */
  GDateTime         *created;
  GDateTime         *retired;
  DlgKeyringStorage  storage;
} IndexEntry;

static void
index_entry_free (IndexEntry *entry)
{
  g_clear_object (&entry->key);
  g_clear_pointer (&entry->created, g_date_time_unref);
  g_clear_pointer (&entry->retired, g_date_time_unref);
  g_free (entry);
}

struct _DlgKeyring
{
  GObject            parent_instance;

  char              *directory;
  DlgKeyringFlags    flags;

  GPtrArray         *index;            /* IndexEntry*, oldest first */
  DlgKey            *current;          /* the key pair */
  DlgKeyringStorage  storage;
  char              *fallback_reason;
  gboolean           busy;
};

G_DEFINE_FINAL_TYPE (DlgKeyring, dlg_keyring, G_TYPE_OBJECT)

G_DEFINE_QUARK (dlg-keyring-error-quark, dlg_keyring_error)

void
dlg_keyring_entry_free (DlgKeyringEntry *entry)
{
  if (entry == NULL)
    return;
  g_clear_object (&entry->key);
  g_clear_pointer (&entry->created, g_date_time_unref);
  g_clear_pointer (&entry->retired, g_date_time_unref);
  g_free (entry);
}

static void
dlg_keyring_finalize (GObject *object)
{
  DlgKeyring *self = (DlgKeyring *) object;

  g_clear_pointer (&self->directory, g_free);
  g_clear_pointer (&self->index, g_ptr_array_unref);
  g_clear_object (&self->current);
  g_clear_pointer (&self->fallback_reason, g_free);

  G_OBJECT_CLASS (dlg_keyring_parent_class)->finalize (object);
}

static void
dlg_keyring_class_init (DlgKeyringClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dlg_keyring_finalize;
}

static void
dlg_keyring_init (DlgKeyring *self)
{
  self->index = g_ptr_array_new_with_free_func ((GDestroyNotify) index_entry_free);
}

/**
 * dlg_keyring_get_default_directory:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/io.github.diligence.Diligence/keys`
 */
char *
dlg_keyring_get_default_directory (void)
{
  return g_build_filename (g_get_user_data_dir (), APP_ID, "keys", NULL);
}

/**
 * dlg_keyring_new:
 * @directory: (nullable): the keys folder, or %NULL for the default
 * @flags: %DLG_KEYRING_FLAGS_FILE_ONLY to keep private keys in files
 *   without trying the Secret Service
 *
 * Nothing is read until a load.
 *
 * Returns: (transfer full): a new keyring
 */
DlgKeyring *
dlg_keyring_new (const char      *directory,
                 DlgKeyringFlags  flags)
{
  DlgKeyring *self = g_object_new (DLG_TYPE_KEYRING, NULL);

  self->directory = directory ? g_strdup (directory) : dlg_keyring_get_default_directory ();
  self->flags = flags;
  return self;
}

const char *
dlg_keyring_get_directory (DlgKeyring *self)
{
  g_return_val_if_fail (DLG_IS_KEYRING (self), NULL);

  return self->directory;
}

/* ------------------------------------------------------------------------ */
/* keys.json                                                                */
/* ------------------------------------------------------------------------ */

static const char *
storage_to_string (DlgKeyringStorage storage)
{
  switch (storage)
    {
    case DLG_KEYRING_STORAGE_SECRET_SERVICE:
      return "secret-service";
    case DLG_KEYRING_STORAGE_FILE:
      return "file";
    case DLG_KEYRING_STORAGE_NONE:
    default:
      return NULL;
    }
}

static IndexEntry *
index_find_current (GPtrArray *index)
{
  for (guint i = 0; i < index->len; i++)
    {
      IndexEntry *entry = g_ptr_array_index (index, i);

      if (entry->retired == NULL)
        return entry;
    }
  return NULL;
}

static char *
index_path (const char *directory)
{
  return g_build_filename (directory, "keys.json", NULL);
}

static char *
key_file_path (const char *directory,
               const char *kid)
{
  g_autofree char *name = g_strconcat (kid, ".pem", NULL);

  return g_build_filename (directory, name, NULL);
}

static gboolean
set_corrupt (GError     **error,
             const char  *path,
             const char  *detail)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_CORRUPT,
               _("The list of your signing keys “%s” cannot be read: %s. It was left untouched."),
               display, detail);
  return FALSE;
}

static const char *
member_string (const DlgJsonValue *object,
               const char         *name)
{
  const DlgJsonValue *v = dlg_json_get (object, name);

  if (v == NULL || !dlg_json_is_string (v) || strlen (v->string) != v->length)
    return NULL;
  return v->string;
}

static gboolean
parse_entry (const DlgJsonValue  *value,
             guint                n,
             const char          *path,
             GPtrArray           *index,
             GError             **error)
{
  g_autoptr(GBytes) x = NULL;
  g_autoptr(DlgKey) key = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GDateTime) retired = NULL;
  const DlgJsonValue *retired_value;
  const char *kid;
  const char *x64;
  const char *created_at;
  const char *storage;
  IndexEntry *entry;

  if (!dlg_json_is_object (value) ||
      !(kid = member_string (value, "kid")) ||
      !(x64 = member_string (value, "x")) ||
      !(created_at = member_string (value, "created_at")) ||
      !(retired_value = dlg_json_get (value, "retired_at")) ||
      !(dlg_json_is_null (retired_value) || member_string (value, "retired_at")))
    {
      detail = g_strdup_printf (_("key %u lacks “kid”, “x”, “created_at” or “retired_at”, "
                                  "or one of them has the wrong type"), n);
      return set_corrupt (error, path, detail);
    }

  if ((x = dlg_base64url_decode (x64, strlen (x64), NULL)) != NULL)
    key = dlg_key_new_from_raw_public (g_bytes_get_data (x, NULL), g_bytes_get_size (x), NULL);
  if (key == NULL || strcmp (dlg_key_get_id (key), kid) != 0)
    {
      detail = g_strdup_printf (_("key %u is damaged"), n);
      return set_corrupt (error, path, detail);
    }

  created = g_date_time_new_from_iso8601 (created_at, NULL);
  if (!dlg_json_is_null (retired_value))
    retired = g_date_time_new_from_iso8601 (retired_value->string, NULL);
  if (created == NULL || (!dlg_json_is_null (retired_value) && retired == NULL))
    {
      detail = g_strdup_printf (_("a date of key %u is not valid"), n);
      return set_corrupt (error, path, detail);
    }

  entry = g_new0 (IndexEntry, 1);
  entry->key = g_steal_pointer (&key);
  entry->created = g_steal_pointer (&created);
  entry->retired = g_steal_pointer (&retired);
  g_ptr_array_add (index, entry);

  if (entry->retired == NULL)
    {
      storage = member_string (value, "storage");
      if (g_strcmp0 (storage, "secret-service") == 0)
        entry->storage = DLG_KEYRING_STORAGE_SECRET_SERVICE;
      else if (g_strcmp0 (storage, "file") == 0)
        entry->storage = DLG_KEYRING_STORAGE_FILE;
      else
        {
          detail = g_strdup_printf (_("the storage of key %u is unknown"), n);
          return set_corrupt (error, path, detail);
        }
    }

  return TRUE;
}

/* Reads keys.json into @index. A missing file is an empty list. */
static gboolean
read_index (const char  *directory,
            GPtrArray   *index,
            gboolean    *exists,
            GError     **error)
{
  g_autofree char *path = index_path (directory);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(DlgJsonDoc) doc = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const DlgJsonValue *root;
  const DlgJsonValue *keys;
  const char *format;
  guint n_current = 0;

  *exists = FALSE;
  bytes = dlg_file_read (path, DLG_JSON_MAX_SIZE, &local_error);
  if (bytes == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return TRUE;
      g_set_error (error, DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_UNAVAILABLE,
                   "%s", local_error->message);
      return FALSE;
    }
  *exists = TRUE;

  doc = dlg_json_doc_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL, NULL, &local_error);
  if (doc == NULL)
    return set_corrupt (error, path, local_error->message);

  root = dlg_json_doc_get_root (doc);
  if (!dlg_json_is_object (root) ||
      !(format = member_string (root, "format")) ||
      strcmp (format, DLG_KEYRING_FORMAT) != 0 ||
      !(keys = dlg_json_get (root, "keys")) ||
      !dlg_json_is_array (keys))
    return set_corrupt (error, path, _("it is not a list of keys in a format this version knows"));

  for (guint i = 0; i < keys->length; i++)
    {
      IndexEntry *entry;

      if (!parse_entry (keys->elements[i], i + 1, path, index, error))
        return FALSE;
      entry = g_ptr_array_index (index, index->len - 1);
      if (!g_hash_table_add (seen, (gpointer) dlg_key_get_id (entry->key)))
        return set_corrupt (error, path, _("a key is listed twice"));
      if (entry->retired == NULL)
        n_current++;
    }

  if (n_current > 1)
    return set_corrupt (error, path, _("more than one key is marked current"));

  return TRUE;
}

static void
sync_directory (const char *directory)
{
  int fd = g_open (directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

static gboolean
ensure_directory (const char  *directory,
                  GError     **error)
{
  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (directory);

      g_set_error (error, DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_WRITE,
                   _("The folder for your signing keys “%s” cannot be made: %s"),
                   display, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_index (const char  *directory,
             GPtrArray   *index,
             GError     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = index_path (directory);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, DLG_KEYRING_FORMAT);
  json_builder_set_member_name (builder, "keys");
  json_builder_begin_array (builder);
  for (guint i = 0; i < index->len; i++)
    {
      IndexEntry *entry = g_ptr_array_index (index, i);
      g_autoptr(GBytes) x = dlg_key_get_public_raw (entry->key);
      g_autofree char *x64 = dlg_base64url_encode (g_bytes_get_data (x, NULL), g_bytes_get_size (x));
      g_autofree char *created = g_date_time_format_iso8601 (entry->created);
      g_autofree char *retired = entry->retired ? g_date_time_format_iso8601 (entry->retired) : NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kid");
      json_builder_add_string_value (builder, dlg_key_get_id (entry->key));
      json_builder_set_member_name (builder, "x");
      json_builder_add_string_value (builder, x64);
      json_builder_set_member_name (builder, "created_at");
      json_builder_add_string_value (builder, created);
      json_builder_set_member_name (builder, "retired_at");
      if (retired)
        json_builder_add_string_value (builder, retired);
      else
        json_builder_add_null_value (builder);
      if (entry->retired == NULL)
        {
          json_builder_set_member_name (builder, "storage");
          json_builder_add_string_value (builder, storage_to_string (entry->storage));
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  if (!ensure_directory (directory, error))
    return FALSE;

  if (!dlg_json_write_file (root, path, &local_error))
    {
      g_set_error (error, DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_WRITE,
                   _("The list of your signing keys could not be saved: %s"), local_error->message);
      return FALSE;
    }
  sync_directory (directory);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Operations                                                               */
/* ------------------------------------------------------------------------ */

typedef enum
{
  OP_LOAD,
  OP_LOAD_OR_CREATE,
  OP_ROTATE,
} OpKind;

typedef struct
{
  OpKind             kind;
  char              *directory;
  DlgKeyringFlags    flags;
  GCancellable      *cancellable;

  GPtrArray         *index;          /* read from disk, then updated */
  gboolean           index_exists;
  gboolean           stray_key_files;

  DlgKey            *key;            /* the current key pair, loaded or new */
  char              *pem;            /* a new key's PKCS#8; wiped when freed */
  DlgKeyringStorage  storage;
  char              *fallback_reason;

  char              *current_kid;    /* loading: the key keys.json names */
  char              *retired_kid;    /* rotation: the key retired */
  DlgKeyringStorage  retired_storage;

  GError            *error;          /* kept while cleaning up after a failure */
} Op;

static void
op_free (Op *op)
{
  if (op->pem != NULL)
    {
      memset (op->pem, 0, strlen (op->pem));
      g_free (op->pem);
    }
  g_free (op->directory);
  g_clear_object (&op->cancellable);
  g_clear_pointer (&op->index, g_ptr_array_unref);
  g_clear_object (&op->key);
  g_free (op->fallback_reason);
  g_free (op->current_kid);
  g_free (op->retired_kid);
  g_clear_error (&op->error);
  g_free (op);
}

static void
op_return_error (GTask  *task,
                 GError *error)
{
  DlgKeyring *self = g_task_get_source_object (task);

  self->busy = FALSE;
  g_task_return_error (task, error);
}

static void
op_return_success (GTask *task)
{
  DlgKeyring *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  g_clear_pointer (&self->index, g_ptr_array_unref);
  self->index = g_steal_pointer (&op->index);
  g_set_object (&self->current, op->key);
  self->storage = op->storage;
  g_clear_pointer (&self->fallback_reason, g_free);
  self->fallback_reason = g_steal_pointer (&op->fallback_reason);
  self->busy = FALSE;

  g_task_return_pointer (task, g_object_ref (op->key), g_object_unref);
}

/* Runs @func in a worker thread with the operation's data, then @next in
 * the caller's main context with @task as its user data. The inner task
 * has no GCancellable: once a step has started writing, it finishes, so
 * that memory and disk never disagree. Nor has it a source object: the
 * worker thread may drop its last reference a moment after @next ran, and
 * must not keep the keyring alive then. */
static void
run_in_thread (GTask               *task,
               GTaskThreadFunc      func,
               GAsyncReadyCallback  next)
{
  g_autoptr(GTask) inner = g_task_new (NULL, NULL, next, g_object_ref (task));

  g_task_set_task_data (inner, g_task_get_task_data (task), NULL);
  g_task_run_in_thread (inner, func);
}

/* Takes the result of an inner task; on failure ends @task with it. */
static gboolean
inner_succeeded (GTask        *task,
                 GAsyncResult *result)
{
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      op_return_error (task, error);
      return FALSE;
    }
  return TRUE;
}

static void create_key (GTask *task);

/* Retiring and the old key's deletion */

static void
clear_retired_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* The new key is current already; a leftover old key in the keyring is
   * unused, so a failure here is not the user's concern. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_debug ("Could not delete the retired key from the keyring: %s", error->message);

  op_return_success (task);
}

static void
clear_unused_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_debug ("Could not delete the unused new key from the keyring: %s", error->message);

  op_return_error (task, g_steal_pointer (&op->error));
}

static void
index_written_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* The new key never became current: take it out of the keyring
       * again, where it would only be clutter. */
      if (op->storage == DLG_KEYRING_STORAGE_SECRET_SERVICE)
        {
          op->error = g_steal_pointer (&error);
          secret_password_clear (&key_schema, NULL, clear_unused_cb, g_object_ref (task),
                                 "key-id", dlg_key_get_id (op->key), NULL);
          return;
        }
      op_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (op->retired_kid != NULL && op->retired_storage == DLG_KEYRING_STORAGE_SECRET_SERVICE &&
      !(op->flags & DLG_KEYRING_FLAGS_FILE_ONLY))
    {
      secret_password_clear (&key_schema, NULL, clear_retired_cb, g_object_ref (task),
                             "key-id", op->retired_kid, NULL);
      return;
    }

  op_return_success (task);
}

/* In a worker thread: makes the new key current in keys.json, retiring
 * the previous one, then deletes a retired key file. */
static void
write_index_thread (GTask        *inner,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  Op *op = task_data;
  IndexEntry *previous = index_find_current (op->index);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GError *error = NULL;
  IndexEntry *entry;

  if (previous != NULL)
    {
      op->retired_kid = g_strdup (dlg_key_get_id (previous->key));
      op->retired_storage = previous->storage;
      previous->retired = g_date_time_ref (now);
    }

  entry = g_new0 (IndexEntry, 1);
  entry->key = dlg_key_get_public (op->key);
  entry->created = g_date_time_ref (now);
  entry->storage = op->storage;
  g_ptr_array_add (op->index, entry);

  if (!write_index (op->directory, op->index, &error))
    {
      g_task_return_error (inner, error);
      return;
    }

  if (op->retired_kid != NULL && op->retired_storage == DLG_KEYRING_STORAGE_FILE)
    {
      g_autofree char *old = key_file_path (op->directory, op->retired_kid);

      if (g_unlink (old) != 0 && errno != ENOENT)
        g_debug ("Could not delete the retired key file %s: %s", old, g_strerror (errno));
      sync_directory (op->directory);
    }

  g_task_return_boolean (inner, TRUE);
}

/* In a worker thread: writes the new private key to a 0600 file, then
 * makes it current. */
static void
store_file_thread (GTask        *inner,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  Op *op = task_data;
  g_autofree char *path = key_file_path (op->directory, dlg_key_get_id (op->key));
  g_autoptr(GError) local_error = NULL;
  GError *error = NULL;

  if (!ensure_directory (op->directory, &error))
    {
      g_task_return_error (inner, error);
      return;
    }

  /* The temporary file is created 0600, synced, then renamed: the key is
   * never readable by others, and never half-written. */
  if (!g_file_set_contents_full (path, op->pem, strlen (op->pem),
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      g_task_return_new_error (inner, DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_WRITE,
                               _("Your new signing key could not be saved: %s"), local_error->message);
      return;
    }
  sync_directory (op->directory);

  write_index_thread (inner, source_object, task_data, cancellable);

  if (g_task_had_error (inner))
    g_unlink (path);
}

static void
key_stored_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (secret_password_store_finish (result, &error))
    {
      op->storage = DLG_KEYRING_STORAGE_SECRET_SERVICE;
      run_in_thread (task, write_index_thread, index_written_cb);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      op_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A keyring that is there but stays locked is the user's choice: do not
   * go around it by writing the key to a file. */
  if (error == NULL || g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    {
      op_return_error (task, g_error_new (DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_LOCKED,
                                          _("The keyring stayed locked, so the new signing key was not saved. "
                                            "Unlock the keyring and try again.")));
      return;
    }

  /* No keyring could be reached: keep the key in a private file, and say
   * why, so that the user can be told. */
  g_debug ("No usable keyring (%s); keeping the key in a file", error->message);
  op->fallback_reason = g_strdup (error->message);
  op->storage = DLG_KEYRING_STORAGE_FILE;
  run_in_thread (task, store_file_thread, index_written_cb);
}

static void
create_key (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (g_cancellable_set_error_if_cancelled (op->cancellable, &error))
    {
      op_return_error (task, error);
      return;
    }

  if (!(op->key = dlg_key_generate (&error)) ||
      !(op->pem = dlg_key_to_private_pem (op->key, &error)))
    {
      op_return_error (task, error);
      return;
    }

  if (op->flags & DLG_KEYRING_FLAGS_FILE_ONLY)
    {
      op->storage = DLG_KEYRING_STORAGE_FILE;
      run_in_thread (task, store_file_thread, index_written_cb);
    }
  else
    {
      g_autofree char *fingerprint = dlg_key_get_fingerprint (op->key);
      /* TRANSLATORS: shown in the keyring manager (Passwords and Keys) */
      g_autofree char *label = g_strdup_printf (_("Diligence organisation signing key %s"), fingerprint);

      secret_password_store (&key_schema, SECRET_COLLECTION_DEFAULT, label, op->pem,
                             op->cancellable, key_stored_cb, g_object_ref (task),
                             "key-id", dlg_key_get_id (op->key), NULL);
    }
}

/* Loading the current key */

static gboolean
take_private_pem (Op          *op,
                  const char  *pem,
                  const char  *kid,
                  const char  *where,
                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(DlgKey) key = dlg_key_new_from_pem (pem, -1, &local_error);

  if (key == NULL || !dlg_key_has_private (key))
    {
      g_set_error (error, DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_CORRUPT,
                   _("Your signing key in %s is damaged: %s"),
                   where, local_error ? local_error->message : _("it holds no private key"));
      return FALSE;
    }
  if (strcmp (dlg_key_get_id (key), kid) != 0)
    {
      g_set_error (error, DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_CORRUPT,
                   _("The signing key in %s is not the one listed as current (%s)."), where, kid);
      return FALSE;
    }
  op->key = g_steal_pointer (&key);
  return TRUE;
}

static void
key_looked_up_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  const char *kid = op->current_kid;
  GError *error = NULL;
  char *pem;

  pem = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        op_return_error (task, error);
      else if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
        {
          op_return_error (task, g_error_new (DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_LOCKED,
                                              _("The keyring that holds your signing key stayed locked. "
                                                "Unlock it to sign.")));
          g_error_free (error);
        }
      else
        {
          op_return_error (task, g_error_new (DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_UNAVAILABLE,
                                              _("The keyring that holds your signing key cannot be reached: %s"),
                                              error->message));
          g_error_free (error);
        }
      return;
    }

  if (pem == NULL)
    {
      op_return_error (task, g_error_new (DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_MISSING,
                                          _("Your signing key %s is no longer in the keyring. "
                                            "Restore the keyring from a backup, or make a new key "
                                            "and send its public key to your buyers again."),
                                          kid));
      return;
    }

  if (!take_private_pem (op, pem, kid, _("the keyring"), &error))
    {
      secret_password_free (pem);
      op_return_error (task, error);
      return;
    }
  secret_password_free (pem);

  op->storage = DLG_KEYRING_STORAGE_SECRET_SERVICE;
  op_return_success (task);
}

static void
read_key_file_thread (GTask        *inner,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  Op *op = task_data;
  const char *kid = op->current_kid;
  g_autofree char *path = key_file_path (op->directory, kid);
  g_autofree char *display = g_filename_display_name (path);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *pem = NULL;
  GError *error = NULL;
  GStatBuf st;

  bytes = dlg_file_read (path, DLG_KEY_MAX_FILE_SIZE, &local_error);
  if (bytes == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_task_return_new_error (inner, DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_MISSING,
                                 _("Your signing key file “%s” is missing. Restore it from a backup, "
                                   "or make a new key and send its public key to your buyers again."),
                                 display);
      else
        g_task_return_new_error (inner, DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_UNAVAILABLE,
                                 "%s", local_error->message);
      return;
    }

  /* Someone may have copied the file around with looser permissions. */
  if (g_stat (path, &st) == 0 && (st.st_mode & 077) != 0)
    g_chmod (path, 0600);

  pem = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (!take_private_pem (op, pem, kid, display, &error))
    {
      memset (pem, 0, strlen (pem));
      g_task_return_error (inner, error);
      return;
    }
  memset (pem, 0, strlen (pem));

  op->storage = DLG_KEYRING_STORAGE_FILE;
  g_task_return_boolean (inner, TRUE);
}

static void
key_file_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  if (inner_succeeded (task, result))
    op_return_success (task);
}

static void
load_current (GTask      *task,
              IndexEntry *current)
{
  Op *op = g_task_get_task_data (task);

  op->current_kid = g_strdup (dlg_key_get_id (current->key));

  if (current->storage == DLG_KEYRING_STORAGE_FILE)
    {
      run_in_thread (task, read_key_file_thread, key_file_read_cb);
      return;
    }

  if (op->flags & DLG_KEYRING_FLAGS_FILE_ONLY)
    {
      op_return_error (task, g_error_new (DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_UNAVAILABLE,
                                          _("Your signing key is in the keyring, which Diligence was "
                                            "asked not to use.")));
      return;
    }

  secret_password_lookup (&key_schema, op->cancellable, key_looked_up_cb, g_object_ref (task),
                          "key-id", op->current_kid, NULL);
}

/* Reading keys.json, and choosing what to do */

static void
read_index_thread (GTask        *inner,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  Op *op = task_data;
  GError *error = NULL;

  if (g_cancellable_set_error_if_cancelled (op->cancellable, &error) ||
      !read_index (op->directory, op->index, &op->index_exists, &error))
    {
      g_task_return_error (inner, error);
      return;
    }

  /* Key files without keys.json: a damaged or partly restored folder.
   * Making a new key there would hide the old ones. */
  if (!op->index_exists)
    {
      g_autoptr(GDir) dir = g_dir_open (op->directory, 0, NULL);
      const char *name;

      while (dir && (name = g_dir_read_name (dir)))
        if (g_str_has_suffix (name, ".pem"))
          op->stray_key_files = TRUE;
    }

  g_task_return_boolean (inner, TRUE);
}

static void
index_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  IndexEntry *current;

  if (!inner_succeeded (task, result))
    return;

  current = index_find_current (op->index);

  if (op->kind == OP_ROTATE)
    {
      if (current == NULL)
        op_return_error (task, g_error_new (DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_NOT_FOUND,
                                            _("There is no signing key to replace yet.")));
      else
        create_key (task);
      return;
    }

  if (current != NULL)
    {
      load_current (task, current);
      return;
    }

  if (op->kind == OP_LOAD)
    {
      op_return_error (task, g_error_new (DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_NOT_FOUND,
                                          _("Your organisation has no signing key yet.")));
      return;
    }

  if (op->stray_key_files)
    {
      g_autofree char *display = g_filename_display_name (op->directory);

      op_return_error (task, g_error_new (DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_MISSING,
                                          _("The folder “%s” holds key files but not the list of keys "
                                            "(keys.json). Restore it from a backup; no new key was made."),
                                          display));
      return;
    }

  create_key (task);
}

static void
start (DlgKeyring          *self,
       OpKind               kind,
       gpointer             source_tag,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Op *op;

  g_task_set_source_tag (task, source_tag);
  /* Once a change is on disk it is reported, even if cancelled since. */
  g_task_set_check_cancellable (task, FALSE);

  if (self->busy)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("Another operation on the signing keys is under way."));
      return;
    }
  self->busy = TRUE;

  op = g_new0 (Op, 1);
  op->kind = kind;
  op->directory = g_strdup (self->directory);
  op->flags = self->flags;
  op->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  op->index = g_ptr_array_new_with_free_func ((GDestroyNotify) index_entry_free);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);

  run_in_thread (task, read_index_thread, index_read_cb);
}

static DlgKey *
finish (DlgKeyring    *self,
        GAsyncResult  *result,
        gpointer       source_tag,
        GError       **error)
{
  g_return_val_if_fail (DLG_IS_KEYRING (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * dlg_keyring_load_async:
 * @self: a keyring
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Loads the current key pair: from keys.json, then the keyring or the key
 * file. The keyring may ask the user to unlock it.
 */
void
dlg_keyring_load_async (DlgKeyring          *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (DLG_IS_KEYRING (self));

  start (self, OP_LOAD, dlg_keyring_load_async, cancellable, callback, user_data);
}

/**
 * dlg_keyring_load_finish:
 *
 * Returns: (transfer full): the current key pair, or %NULL with @error
 *   set: %DLG_KEYRING_ERROR_NOT_FOUND when there is none yet
 */
DlgKey *
dlg_keyring_load_finish (DlgKeyring    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return finish (self, result, dlg_keyring_load_async, error);
}

/**
 * dlg_keyring_load_or_create_async:
 * @self: a keyring
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Loads the current key pair, or makes the organisation's first one when
 * there is none: in the keyring if one can be reached, otherwise in a
 * private file (see dlg_keyring_get_storage()). An existing key that
 * cannot be loaded is an error; it is never silently replaced.
 */
void
dlg_keyring_load_or_create_async (DlgKeyring          *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (DLG_IS_KEYRING (self));

  start (self, OP_LOAD_OR_CREATE, dlg_keyring_load_or_create_async, cancellable, callback, user_data);
}

/**
 * dlg_keyring_load_or_create_finish:
 *
 * Returns: (transfer full): the current key pair, or %NULL with @error set
 */
DlgKey *
dlg_keyring_load_or_create_finish (DlgKeyring    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return finish (self, result, dlg_keyring_load_or_create_async, error);
}

/**
 * dlg_keyring_rotate_async:
 * @self: a keyring
 * @cancellable: (nullable): a #GCancellable, honoured until the new key
 *   is being stored
 * @callback: called when done
 * @user_data: for @callback
 *
 * Makes a new key pair current. The previous key is retired: its private
 * half is deleted, its public half stays in dlg_keyring_list_keys() so
 * that what it signed can still be verified.
 */
void
dlg_keyring_rotate_async (DlgKeyring          *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (DLG_IS_KEYRING (self));

  start (self, OP_ROTATE, dlg_keyring_rotate_async, cancellable, callback, user_data);
}

/**
 * dlg_keyring_rotate_finish:
 *
 * Returns: (transfer full): the new current key pair, or %NULL with
 *   @error set; then the previous key is still current
 */
DlgKey *
dlg_keyring_rotate_finish (DlgKeyring    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return finish (self, result, dlg_keyring_rotate_async, error);
}

/* ------------------------------------------------------------------------ */
/* After loading                                                            */
/* ------------------------------------------------------------------------ */

/**
 * dlg_keyring_get_current:
 *
 * Returns: (transfer none) (nullable): the current key pair, once loaded
 */
DlgKey *
dlg_keyring_get_current (DlgKeyring *self)
{
  g_return_val_if_fail (DLG_IS_KEYRING (self), NULL);

  return self->current;
}

/**
 * dlg_keyring_get_storage:
 *
 * Returns: where the current private key is kept, so that the UI can tell
 *   the user (%DLG_KEYRING_STORAGE_NONE before a load)
 */
DlgKeyringStorage
dlg_keyring_get_storage (DlgKeyring *self)
{
  g_return_val_if_fail (DLG_IS_KEYRING (self), DLG_KEYRING_STORAGE_NONE);

  return self->storage;
}

/**
 * dlg_keyring_get_fallback_reason:
 *
 * Returns: (nullable): when the last key made went to a file because no
 *   keyring could be reached, what the keyring library said
 */
const char *
dlg_keyring_get_fallback_reason (DlgKeyring *self)
{
  g_return_val_if_fail (DLG_IS_KEYRING (self), NULL);

  return self->fallback_reason;
}

/**
 * dlg_keyring_get_key_file:
 *
 * Returns: (transfer full) (nullable): the file that holds the current
 *   private key, when it is kept in a file
 */
char *
dlg_keyring_get_key_file (DlgKeyring *self)
{
  g_return_val_if_fail (DLG_IS_KEYRING (self), NULL);

  if (self->storage != DLG_KEYRING_STORAGE_FILE || self->current == NULL)
    return NULL;
  return key_file_path (self->directory, dlg_key_get_id (self->current));
}

/**
 * dlg_keyring_list_keys:
 *
 * Our own keys as of the last load, the current one first, then the
 * retired ones, newest first.
 *
 * Returns: (transfer full) (element-type DlgKeyringEntry): the keys
 */
GPtrArray *
dlg_keyring_list_keys (DlgKeyring *self)
{
  GPtrArray *list;

  g_return_val_if_fail (DLG_IS_KEYRING (self), NULL);

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) dlg_keyring_entry_free);
  for (guint i = self->index->len; i > 0; i--)
    {
      IndexEntry *entry = g_ptr_array_index (self->index, i - 1);
      DlgKeyringEntry *out = g_new0 (DlgKeyringEntry, 1);

      out->key = g_object_ref (entry->key);
      out->current = entry->retired == NULL;
      out->storage = entry->retired == NULL ? entry->storage : DLG_KEYRING_STORAGE_NONE;
      out->created = g_date_time_ref (entry->created);
      out->retired = entry->retired ? g_date_time_ref (entry->retired) : NULL;
      if (out->current)
        g_ptr_array_insert (list, 0, out);
      else
        g_ptr_array_add (list, out);
    }
  return list;
}

/**
 * dlg_keyring_lookup_public:
 * @key_id: a key id, e.g. the "kid" of a report we signed
 *
 * Returns: (transfer none) (nullable): the public key of one of our own
 *   keys, current or retired
 */
DlgKey *
dlg_keyring_lookup_public (DlgKeyring *self,
                           const char *key_id)
{
  g_return_val_if_fail (DLG_IS_KEYRING (self), NULL);
  g_return_val_if_fail (key_id != NULL, NULL);

  for (guint i = 0; i < self->index->len; i++)
    {
      IndexEntry *entry = g_ptr_array_index (self->index, i);

      if (strcmp (dlg_key_get_id (entry->key), key_id) == 0)
        return entry->key;
    }
  return NULL;
}
