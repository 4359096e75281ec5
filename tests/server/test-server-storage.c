/* test-server-storage.c - the server's SQLite storage: idempotency, group
 * commit, access, bad files, a full disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "dlg-server-storage-sqlite.h"
#include "dlg-test-server.h"

#define SUPPLIER "BE0111111111"
#define BUYER "BE0333333333"
#define OTHER "BE0444444444"

typedef struct
{
  char             *dir;
  char             *path;
  DlgServerStorage *storage;
} Fixture;

static DlgServerStorage *
open_storage (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  DlgServerStorage *storage = dlg_server_storage_sqlite_open (f->path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (storage);
  return storage;
}

static void
add_organisation (DlgServerStorage *storage,
                  const char       *id,
                  DlgServerRoles    roles)
{
  DlgServerOrganisation org = { (char *) id, (char *) id, roles, 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (dlg_server_storage_add_organisation (storage, &org, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("dlg-server-storage-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "sub", "server.sqlite", NULL);
  f->storage = open_storage (f);
  add_organisation (f->storage, SUPPLIER, DLG_SERVER_ROLE_SUPPLIER);
  add_organisation (f->storage, BUYER, DLG_SERVER_ROLE_BUYER);
  add_organisation (f->storage, OTHER, DLG_SERVER_ROLE_BUYER);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->storage != NULL)
    {
      dlg_server_storage_close (f->storage);
      g_assert_finalize_object (f->storage);
    }
  dlg_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static DlgServerDocument *
document (const char *id,
          const char *text)
{
  DlgServerDocument *doc = g_new0 (DlgServerDocument, 1);

  doc->kind = DLG_SERVER_DOCUMENT_REPORT;
  doc->id = g_strdup (id);
  doc->sender_id = g_strdup (SUPPLIER);
  doc->recipients = g_new0 (char *, 2);
  doc->recipients[0] = g_strdup (BUYER);
  doc->bytes = g_bytes_new (text, strlen (text));
  doc->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, doc->bytes);
  return doc;
}

typedef struct
{
  guint                 pending;
  DlgServerSubmitResult results[256];
  GError               *errors[256];
  DlgServerDocument    *stored[256];
} Submissions;

typedef struct
{
  Submissions *all;
  guint        index;
} Slot;

static void
submitted_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Slot *slot = user_data;

  slot->all->results[slot->index] = dlg_server_storage_submit_finish (DLG_SERVER_STORAGE (source), result,
                                                                      &slot->all->stored[slot->index],
                                                                      &slot->all->errors[slot->index]);
  slot->all->pending--;
  g_free (slot);
}

/* Queues all of @docs at once, then waits for every answer. */
static void
submit_all (DlgServerStorage  *storage,
            DlgServerDocument **docs,
            guint               n,
            Submissions        *out)
{
  g_assert_cmpuint (n, <=, G_N_ELEMENTS (out->results));
  memset (out, 0, sizeof *out);
  for (guint i = 0; i < n; i++)
    {
      Slot *slot = g_new (Slot, 1);

      slot->all = out;
      slot->index = i;
      out->pending++;
      dlg_server_storage_submit_async (storage, docs[i], NULL, submitted_cb, slot);
    }
  for (guint i = 0; i < 100000 && out->pending > 0; i++)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (out->pending, ==, 0);
}

static void
submissions_clear (Submissions *s,
                   guint        n)
{
  for (guint i = 0; i < n; i++)
    {
      g_clear_error (&s->errors[i]);
      g_clear_pointer (&s->stored[i], dlg_server_document_free);
    }
}

static DlgServerSubmitResult
submit_one (DlgServerStorage   *storage,
            DlgServerDocument  *doc,
            DlgServerDocument **stored,
            GError            **error)
{
  Submissions s;
  DlgServerSubmitResult result;

  submit_all (storage, &doc, 1, &s);
  result = s.results[0];
  if (stored != NULL)
    *stored = g_steal_pointer (&s.stored[0]);
  if (s.errors[0] != NULL)
    g_propagate_error (error, g_steal_pointer (&s.errors[0]));
  submissions_clear (&s, 1);
  return result;
}

static void
test_organisations (Fixture       *f,
                    gconstpointer  data)
{
  DlgServerOrganisation dup = { (char *) SUPPLIER, (char *) "Again", DLG_SERVER_ROLE_BUYER, 0 };
  DlgServerOrganisation nobody = { (char *) "FR123", NULL, DLG_SERVER_ROLE_BUYER, 0 };
  DlgServerOrganisation renamed = { (char *) SUPPLIER, (char *) "Acme", DLG_SERVER_ROLE_SUPPLIER | DLG_SERVER_ROLE_SIGNATORY, 0 };
  g_autoptr(DlgServerOrganisation) org = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  DlgServerRoles roles;

  g_assert_false (dlg_server_storage_add_organisation (f->storage, &dup, &error));
  g_assert_error (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_false (dlg_server_storage_update_organisation (f->storage, &nobody, &error));
  g_assert_error (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (dlg_server_storage_update_organisation (f->storage, &renamed, &error));
  org = dlg_server_storage_get_organisation (f->storage, SUPPLIER, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (org->name, ==, "Acme");
  g_assert_cmpint (org->roles, ==, DLG_SERVER_ROLE_SUPPLIER | DLG_SERVER_ROLE_SIGNATORY);

  list = dlg_server_storage_list_organisations (f->storage, &error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_null (dlg_server_storage_get_organisation (f->storage, "XX", &error));
  g_assert_error (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Roles as written in configuration and on the command line. */
  g_assert_true (dlg_server_roles_from_string ("supplier, charter-body", &roles, &error));
  g_assert_cmpint (roles, ==, DLG_SERVER_ROLE_SUPPLIER | DLG_SERVER_ROLE_CHARTER_BODY);
  g_assert_false (dlg_server_roles_from_string ("supplier,boss", &roles, &error));
  g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
  g_clear_error (&error);
  g_assert_false (dlg_server_roles_from_string ("", &roles, &error));
  g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
}

static void
test_tokens (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(DlgServerToken) token = NULL;
  g_autoptr(DlgServerToken) orphan = NULL;
  g_autoptr(DlgServerToken) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = dlg_server_token_generate (&token);
  g_autofree char *orphan_text = dlg_server_token_generate (&orphan);
  g_autofree char *id = NULL;
  guint8 hash[32];

  /* The token parses back to its id and the hash of its secret. */
  g_assert_true (g_str_has_prefix (text, "dlg1."));
  g_assert_true (dlg_server_token_parse (text, &id, hash));
  g_assert_cmpstr (id, ==, token->id);
  g_assert_cmpmem (hash, 32, token->hash, 32);
  g_assert_false (dlg_server_token_parse ("dlg1.short.secret", &id, hash));
  g_assert_false (dlg_server_token_parse ("Bearer x", &id, hash));

  orphan->organisation_id = g_strdup ("NOBODY");
  g_assert_false (dlg_server_storage_add_token (f->storage, orphan, &error));
  g_assert_error (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  token->organisation_id = g_strdup (SUPPLIER);
  token->label = g_strdup ("laptop");
  g_assert_true (dlg_server_storage_add_token (f->storage, token, &error));
  stored = dlg_server_storage_get_token (f->storage, token->id, &error);
  g_assert_no_error (error);
  g_assert_true (dlg_server_token_matches (stored, hash));
  hash[0] ^= 1;
  g_assert_false (dlg_server_token_matches (stored, hash));
  hash[0] ^= 1;

  /* Kept hashed: the secret is nowhere in the database file. */
  {
    g_autofree char *contents = NULL;
    gsize length;
    const char *secret = strrchr (text, '.') + 1;

    dlg_server_storage_close (f->storage);
    g_clear_object (&f->storage);
    g_assert_true (g_file_get_contents (f->path, &contents, &length, NULL));
    g_assert_null (g_strstr_len (contents, length, secret));
    f->storage = open_storage (f);
  }

  g_assert_true (dlg_server_storage_revoke_token (f->storage, token->id, &error));
  g_assert_true (dlg_server_storage_revoke_token (f->storage, token->id, &error));
  g_clear_pointer (&stored, dlg_server_token_free);
  stored = dlg_server_storage_get_token (f->storage, token->id, &error);
  g_assert_cmpint (stored->revoked_at, >, 0);
  g_assert_false (dlg_server_token_matches (stored, hash));
  g_assert_false (dlg_server_storage_revoke_token (f->storage, "nope", &error));
  g_assert_error (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_NOT_FOUND);
}

static void
test_keys (Fixture       *f,
           gconstpointer  data)
{
  DlgServerKey key = { (char *) "kid-1", (char *) SUPPLIER, (char *) "{}", 0, 0 };
  DlgServerKey stolen = { (char *) "kid-1", (char *) BUYER, (char *) "{}", 0, 0 };
  g_autoptr(GPtrArray) valid = NULL, all = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (dlg_server_storage_add_key (f->storage, &key, &error));
  g_assert_false (dlg_server_storage_add_key (f->storage, &stolen, &error));
  g_assert_error (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_true (dlg_server_storage_revoke_key (f->storage, "kid-1", &error));
  valid = dlg_server_storage_list_keys (f->storage, SUPPLIER, FALSE, &error);
  all = dlg_server_storage_list_keys (f->storage, SUPPLIER, TRUE, &error);
  g_assert_cmpuint (valid->len, ==, 0);
  g_assert_cmpuint (all->len, ==, 1);
  g_assert_cmpint (((DlgServerKey *) g_ptr_array_index (all, 0))->revoked_at, >, 0);
}

static gint64
directory_version (DlgServerStorage *storage)
{
  g_autoptr(GError) error = NULL;
  gint64 version = dlg_server_storage_get_directory_version (storage, &error);

  g_assert_no_error (error);
  g_assert_cmpint (version, >=, 0);
  return version;
}

/* The version the server keeps the directory by: every change to the
 * organisations, tokens or keys moves it, through this storage or another
 * connection (an admin command's), and nothing else does. */
static void
test_directory_version (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(DlgServerStorage) admin = open_storage (f);
  DlgServerToken token = { (char *) "tok-1", (char *) SUPPLIER, (char *) "laptop", { 0 }, 0, 0 };
  DlgServerKey key = { (char *) "kid-1", (char *) SUPPLIER, (char *) "{}", 0, 0 };
  DlgServerOrganisation renamed = { (char *) SUPPLIER, (char *) "Renamed", DLG_SERVER_ROLE_SUPPLIER, 0 };
  g_autoptr(DlgServerDocument) doc = document ("r1", "bytes");
  g_autoptr(GError) error = NULL;
  gint64 before = directory_version (f->storage);
  gint64 now;

  /* Documents are not the directory. */
  g_assert_cmpint (submit_one (f->storage, doc, NULL, &error), ==, DLG_SERVER_SUBMIT_CREATED);
  g_assert_no_error (error);
  g_assert_cmpint (directory_version (f->storage), ==, before);
  g_assert_cmpint (directory_version (admin), ==, before);

#define CHANGES(call) \
  G_STMT_START { \
    g_assert_true (call); \
    g_assert_no_error (error); \
    now = directory_version (f->storage); \
    g_assert_cmpint (now, >, before); \
    g_assert_cmpint (directory_version (admin), ==, now); \
    before = now; \
  } G_STMT_END

  CHANGES (dlg_server_storage_add_token (admin, &token, &error));
  CHANGES (dlg_server_storage_revoke_token (f->storage, "tok-1", &error));
  CHANGES (dlg_server_storage_add_key (f->storage, &key, &error));
  CHANGES (dlg_server_storage_revoke_key (admin, "kid-1", &error));
  CHANGES (dlg_server_storage_update_organisation (admin, &renamed, &error));
  add_organisation (admin, "BE0555555555", DLG_SERVER_ROLE_SIGNATORY);
  g_assert_cmpint (directory_version (f->storage), >, before);
  before = directory_version (f->storage);
#undef CHANGES

  /* A change refused is no change. */
  g_assert_false (dlg_server_storage_add_key (admin, &key, &error));
  g_assert_error (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_EXISTS);
  g_assert_cmpint (directory_version (f->storage), ==, before);

  dlg_server_storage_close (admin);
}

/* The log is copied back into the database by the storage's own
 * checkpointer, beside the commits; nothing is lost on the way. */
static void
test_checkpoint (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *text = g_strnfill (15000, 'x');
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autoptr(DlgServerDocument) fetched = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;
  guint n = 0;

  /* Some 1,200 pages of log: more than the 1,000 that start a checkpoint. */
  for (guint round = 0; round < 6; round++)
    {
      DlgServerDocument *docs[200];
      Submissions s;

      for (guint i = 0; i < G_N_ELEMENTS (docs); i++)
        {
          g_autofree char *id = g_strdup_printf ("r%u", n++);
          docs[i] = document (id, text);
        }
      submit_all (f->storage, docs, G_N_ELEMENTS (docs), &s);
      for (guint i = 0; i < G_N_ELEMENTS (docs); i++)
        g_assert_cmpint (s.results[i], ==, DLG_SERVER_SUBMIT_CREATED);
      submissions_clear (&s, G_N_ELEMENTS (docs));
      for (guint i = 0; i < G_N_ELEMENTS (docs); i++)
        dlg_server_document_free (docs[i]);
    }

  /* The database file receives the log's pages, sooner or later. */
  for (guint i = 0; i < 600; i++)
    {
      g_assert_cmpint (g_stat (f->path, &st), ==, 0);
      if (st.st_size > 10 * 1024 * 1024)
        break;
      g_usleep (50 * 1000);
    }
  g_assert_cmpint (st.st_size, >, 10 * 1024 * 1024);
  g_assert_cmpint (g_stat (wal, &st), ==, 0);

  /* Everything is there, from this storage and after reopening. */
  fetched = dlg_server_storage_get_document (f->storage, DLG_SERVER_DOCUMENT_REPORT, "r0", BUYER, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (fetched->bytes), ==, strlen (text));
  g_clear_pointer (&fetched, dlg_server_document_free);

  dlg_server_storage_close (f->storage);
  g_assert_finalize_object (f->storage);
  /* The last connection checkpointed the rest and removed the log. */
  g_assert_cmpint (g_stat (wal, &st), !=, 0);
  f->storage = open_storage (f);
  for (guint i = 0; i < n; i += 97)
    {
      g_autofree char *id = g_strdup_printf ("r%u", i);

      fetched = dlg_server_storage_get_document (f->storage, DLG_SERVER_DOCUMENT_REPORT, id, BUYER, &error);
      g_assert_no_error (error);
      g_assert_cmpmem (g_bytes_get_data (fetched->bytes, NULL), g_bytes_get_size (fetched->bytes),
                       text, strlen (text));
      g_clear_pointer (&fetched, dlg_server_document_free);
    }
}

static void
test_idempotent (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(DlgServerDocument) doc = document ("r1", "first bytes");
  g_autoptr(DlgServerDocument) same = document ("r1", "first bytes");
  g_autoptr(DlgServerDocument) other = document ("r1", "other bytes");
  g_autoptr(DlgServerDocument) stored1 = NULL, stored2 = NULL, stored3 = NULL, fetched = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (submit_one (f->storage, doc, &stored1, &error), ==, DLG_SERVER_SUBMIT_CREATED);
  g_assert_no_error (error);
  g_assert_cmpint (submit_one (f->storage, same, &stored2, &error), ==, DLG_SERVER_SUBMIT_DUPLICATE);
  g_assert_cmpint (stored2->received_at, ==, stored1->received_at);
  g_assert_cmpint (stored2->sequence, ==, stored1->sequence);
  g_assert_cmpint (submit_one (f->storage, other, &stored3, &error), ==, DLG_SERVER_SUBMIT_CONFLICT);
  g_assert_no_error (error);
  g_assert_cmpstr (stored3->sha256, ==, doc->sha256);

  /* The first bytes stay. */
  fetched = dlg_server_storage_get_document (f->storage, DLG_SERVER_DOCUMENT_REPORT, "r1", BUYER, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (fetched->bytes, doc->bytes));
  g_assert_cmpstrv ((const char * const *) fetched->recipients, ((const char *[]) { BUYER, NULL }));
}

static void
test_group_commit (Fixture       *f,
                   gconstpointer  data)
{
  DlgServerDocument *docs[200];
  Submissions s;
  guint64 before = dlg_server_storage_sqlite_get_commits (DLG_SERVER_STORAGE_SQLITE (f->storage));
  guint64 commits;
  guint created = 0, duplicates = 0, conflicts = 0;
  g_autoptr(GPtrArray) list = NULL;

  /* 100 ids, each twice: the second time with the same bytes for even
   * ones, other bytes for odd ones, and once (150) from an organisation
   * that does not exist. All queued at once, so they share commits. */
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *id = g_strdup_printf ("doc-%u", i % 100);
      g_autofree char *text = g_strdup_printf ("bytes of %u%s", i % 100, i >= 100 && (i % 2) ? " changed" : "");

      docs[i] = document (id, text);
    }
  g_free (docs[150]->sender_id);
  docs[150]->sender_id = g_strdup ("NOBODY");
  g_free (docs[150]->id);
  docs[150]->id = g_strdup ("doc-from-nobody");

  submit_all (f->storage, docs, 200, &s);
  commits = dlg_server_storage_sqlite_get_commits (DLG_SERVER_STORAGE_SQLITE (f->storage)) - before;

  for (guint i = 0; i < 200; i++)
    {
      if (i == 150)
        {
          /* Refused alone: the others in its commit are kept. */
          g_assert_nonnull (s.errors[i]);
          continue;
        }
      g_assert_no_error (s.errors[i]);
      switch (s.results[i])
        {
        case DLG_SERVER_SUBMIT_CREATED: created++; break;
        case DLG_SERVER_SUBMIT_DUPLICATE: duplicates++; break;
        case DLG_SERVER_SUBMIT_CONFLICT: conflicts++; break;
        default: g_assert_not_reached ();
        }
    }
  g_assert_cmpuint (created, ==, 100);
  g_assert_cmpuint (duplicates, ==, 49);
  g_assert_cmpuint (conflicts, ==, 50);
  g_test_message ("%u submissions in %" G_GUINT64_FORMAT " commits", 200, commits);
  g_assert_cmpuint (commits, <, 200);

  list = dlg_server_storage_list_documents (f->storage, DLG_SERVER_DOCUMENT_REPORT, BUYER, 0, 1000, NULL);
  g_assert_cmpuint (list->len, ==, 100);

  submissions_clear (&s, 200);
  for (guint i = 0; i < 200; i++)
    dlg_server_document_free (docs[i]);
}

static void
test_single_commits (Fixture       *f,
                     gconstpointer  data)
{
  DlgServerDocument *docs[20];
  Submissions s;
  guint64 before;

  /* Grouping bounded to one: one commit each. */
  dlg_server_storage_sqlite_set_max_batch (DLG_SERVER_STORAGE_SQLITE (f->storage), 1);
  before = dlg_server_storage_sqlite_get_commits (DLG_SERVER_STORAGE_SQLITE (f->storage));
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *id = g_strdup_printf ("single-%u", i);
      docs[i] = document (id, id);
    }
  submit_all (f->storage, docs, 20, &s);
  g_assert_cmpuint (dlg_server_storage_sqlite_get_commits (DLG_SERVER_STORAGE_SQLITE (f->storage)) - before, ==, 20);
  submissions_clear (&s, 20);
  for (guint i = 0; i < 20; i++)
    dlg_server_document_free (docs[i]);
}

static void
test_access (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(DlgServerDocument) doc = document ("r1", "bytes");
  g_autoptr(DlgServerDocument) by_sender = NULL, by_recipient = NULL, by_other = NULL, missing = NULL;
  g_autoptr(GError) other_error = NULL, missing_error = NULL, error = NULL;
  g_autoptr(GPtrArray) other_list = NULL;

  g_assert_cmpint (submit_one (f->storage, doc, NULL, &error), ==, DLG_SERVER_SUBMIT_CREATED);

  by_sender = dlg_server_storage_get_document (f->storage, DLG_SERVER_DOCUMENT_REPORT, "r1", SUPPLIER, &error);
  by_recipient = dlg_server_storage_get_document (f->storage, DLG_SERVER_DOCUMENT_REPORT, "r1", BUYER, &error);
  g_assert_no_error (error);
  g_assert_nonnull (by_sender);
  g_assert_nonnull (by_recipient);

  /* Not readable and not there: the same error, word for word. */
  by_other = dlg_server_storage_get_document (f->storage, DLG_SERVER_DOCUMENT_REPORT, "r1", OTHER, &other_error);
  missing = dlg_server_storage_get_document (f->storage, DLG_SERVER_DOCUMENT_REPORT, "r2", OTHER, &missing_error);
  g_assert_null (by_other);
  g_assert_null (missing);
  g_assert_error (other_error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_NOT_FOUND);
  g_assert_cmpstr (other_error->message, ==, missing_error->message);

  /* Nor is a report a review. */
  g_assert_null (dlg_server_storage_get_document (f->storage, DLG_SERVER_DOCUMENT_REVIEW, "r1", BUYER, NULL));

  other_list = dlg_server_storage_list_documents (f->storage, DLG_SERVER_DOCUMENT_REPORT, OTHER, 0, 10, &error);
  g_assert_cmpuint (other_list->len, ==, 0);
}

static void
test_pages (Fixture       *f,
            gconstpointer  data)
{
  gint64 before = 0;
  guint seen = 0;

  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *id = g_strdup_printf ("p%u", i);
      g_autoptr(DlgServerDocument) doc = document (id, id);

      g_assert_cmpint (submit_one (f->storage, doc, NULL, NULL), ==, DLG_SERVER_SUBMIT_CREATED);
    }

  for (guint page = 0; page < 10; page++)
    {
      g_autoptr(GPtrArray) list = dlg_server_storage_list_documents (f->storage, DLG_SERVER_DOCUMENT_REPORT,
                                                                     BUYER, before, 3, NULL);
      for (guint i = 0; i < list->len; i++, seen++)
        {
          DlgServerDocument *d = g_ptr_array_index (list, i);
          g_autofree char *expected = g_strdup_printf ("p%u", 6 - seen);

          g_assert_cmpstr (d->id, ==, expected);
          g_assert_null (d->bytes);
          before = d->sequence;
        }
      if (list->len < 3)
        break;
    }
  g_assert_cmpuint (seen, ==, 7);
}

static void
test_reopen (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(DlgServerDocument) doc = document ("kept", "kept bytes");
  g_autoptr(DlgServerDocument) fetched = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (submit_one (f->storage, doc, NULL, &error), ==, DLG_SERVER_SUBMIT_CREATED);
  dlg_server_storage_close (f->storage);

  /* Closed: everything refused, nothing crashes. */
  g_assert_false (dlg_server_storage_check (f->storage, &error));
  g_assert_error (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_CLOSED);
  g_clear_error (&error);
  submit_one (f->storage, doc, NULL, &error);
  g_assert_error (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_finalize_object (g_steal_pointer (&f->storage));

  f->storage = open_storage (f);
  g_assert_true (dlg_server_storage_check (f->storage, &error));
  fetched = dlg_server_storage_get_document (f->storage, DLG_SERVER_DOCUMENT_REPORT, "kept", BUYER, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (fetched->bytes, doc->bytes));
}

static void
test_close_while_syncing (Fixture       *f,
                          gconstpointer  data)
{
  DlgServerDocument *docs[200];
  Submissions s = { 0 };
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  /* Queued before closing: closing waits until every one is committed and
   * synced, and each is answered as stored, none as refused. */
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *id = g_strdup_printf ("closing-%u", i);
      Slot *slot = g_new (Slot, 1);

      docs[i] = document (id, id);
      slot->all = &s;
      slot->index = i;
      s.pending++;
      dlg_server_storage_submit_async (f->storage, docs[i], NULL, submitted_cb, slot);
    }
  dlg_server_storage_close (f->storage);
  for (guint i = 0; i < 100000 && s.pending > 0; i++)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (s.pending, ==, 0);
  for (guint i = 0; i < 200; i++)
    {
      g_assert_no_error (s.errors[i]);
      g_assert_cmpint (s.results[i], ==, DLG_SERVER_SUBMIT_CREATED);
    }
  g_assert_finalize_object (g_steal_pointer (&f->storage));

  /* And they are all there after reopening. */
  f->storage = open_storage (f);
  list = dlg_server_storage_list_documents (f->storage, DLG_SERVER_DOCUMENT_REPORT, BUYER, 0, 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 200);

  submissions_clear (&s, 200);
  for (guint i = 0; i < 200; i++)
    dlg_server_document_free (docs[i]);
}

static void
test_bad_files (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *garbage = g_build_filename (f->dir, "garbage.sqlite", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  /* Not a database: refused and left as it was. */
  g_assert_true (g_file_set_contents (garbage, "this is not a database, it is a letter", -1, NULL));
  g_assert_null (dlg_server_storage_sqlite_open (garbage, &error));
  g_assert_error (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (garbage, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "this is not a database, it is a letter");

  /* From a newer server: refused. */
  dlg_server_storage_close (f->storage);
  g_assert_finalize_object (g_steal_pointer (&f->storage));
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_null (dlg_server_storage_sqlite_open (f->path, &error));
  g_assert_error (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_NEWER_SCHEMA);
}

static void
test_full_disk (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *big = g_strnfill (64 * 1024, 'x');
  g_autoptr(DlgServerDocument) doc = document ("big", big);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;

  dlg_server_storage_sqlite_limit_size (DLG_SERVER_STORAGE_SQLITE (f->storage), 1);
  submit_one (f->storage, doc, NULL, &error);
  g_assert_error (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_FULL);
  g_clear_error (&error);
  list = dlg_server_storage_list_documents (f->storage, DLG_SERVER_DOCUMENT_REPORT, BUYER, 0, 10, NULL);
  g_assert_cmpuint (list->len, ==, 0);

  /* Room again: the same submission goes through. */
  dlg_server_storage_sqlite_limit_size (DLG_SERVER_STORAGE_SQLITE (f->storage), 0);
  g_assert_cmpint (submit_one (f->storage, doc, NULL, &error), ==, DLG_SERVER_SUBMIT_CREATED);
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/server-storage/organisations", test_organisations);
  ADD ("/server-storage/tokens", test_tokens);
  ADD ("/server-storage/keys", test_keys);
  ADD ("/server-storage/directory-version", test_directory_version);
  ADD ("/server-storage/checkpoint", test_checkpoint);
  ADD ("/server-storage/idempotent", test_idempotent);
  ADD ("/server-storage/group-commit", test_group_commit);
  ADD ("/server-storage/single-commits", test_single_commits);
  ADD ("/server-storage/access", test_access);
  ADD ("/server-storage/pages", test_pages);
  ADD ("/server-storage/reopen", test_reopen);
  ADD ("/server-storage/close-while-syncing", test_close_while_syncing);
  ADD ("/server-storage/bad-files", test_bad_files);
  ADD ("/server-storage/full-disk", test_full_disk);
#undef ADD

  return g_test_run ();
}
