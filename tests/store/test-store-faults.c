/* test-store-faults.c - the store under faults that test-store.c does not
 * inject: kill -9 while attaching files, writes refused by the operating
 * system, and a database damaged inside
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * After each fault the database must pass SQLite's integrity check, keep
 * everything acknowledged before, and the evidence folder must hold only
 * complete files named by their hash.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "dlg-core.h"
#include "../test-util.h"
#include "../test-questionnaires.h"

typedef struct
{
  char             *dir;
  char             *path;
  DlgQuestionnaire *q;
} Fixture;

static DlgQuestionnaire *
load_scoring (const char *srcdir)
{
  g_autofree char *path = g_build_filename (srcdir, "data", "valid", "scoring.json", NULL);

  return read_questionnaire (path);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("dlg-store-faults-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "data", "diligence.sqlite", NULL);
  f->q = load_scoring (g_getenv ("G_TEST_SRCDIR"));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->q);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* Every file in the evidence folder is named by the SHA-256 of its
 * contents; returns how many there are. */
static guint
check_evidence_folder (DlgStore *store)
{
  const char *dir_path = dlg_store_get_evidence_dir (store);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *contents = NULL;
      g_autofree char *sha = NULL;
      gsize length;

      g_assert_false (g_str_has_prefix (name, ".incoming-"));
      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
      g_assert_cmpstr (name, ==, sha);
      n++;
    }
  return n;
}

static char *
write_source (const char *dir,
              guint       n,
              gsize       size)
{
  g_autofree char *name = g_strdup_printf ("evidence-%u.pdf", n);
  char *path = g_build_filename (dir, name, NULL);
  g_autofree char *contents = g_malloc (size);

  /* Different contents each time, so each is a new file in the store. */
  for (gsize i = 0; i < size; i++)
    contents[i] = (char) ((i * 31 + n * 7) & 0xff);
  g_snprintf (contents, size, "%%PDF-1.4 evidence %u ", n);
  g_assert_true (g_file_set_contents (path, contents, size, NULL));
  return path;
}

/* ------------------------------------------------------------------------ */
/* kill -9 while attaching files                                            */
/* ------------------------------------------------------------------------ */

/* The child attaches files one after another, acknowledging each on
 * standard output once the store has returned. */
static int
evidence_child (const char *path,
                const char *sources)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgStore) store = dlg_store_open (path, &error);
  g_autoptr(DlgQuestionnaire) q = load_scoring (g_getenv ("G_TEST_SRCDIR"));
  g_autoptr(DlgAssessment) a = NULL;
  g_autofree char *id = NULL;

  g_assert_no_error (error);
  id = dlg_store_create_assessment (store, q, "Attach", "2026", NULL, FALSE, &error);
  g_assert_no_error (error);
  a = dlg_assessment_new (q);
  printf ("ID %s\n", id);
  fflush (stdout);

  for (guint n = 1; ; n++)
    {
      g_autofree char *source_path = write_source (sources, n, 256 * 1024);
      g_autoptr(GFile) source = g_file_new_for_path (source_path);

      if (!dlg_store_add_evidence (store, id, a, "a2", source, NULL, &error))
        g_error ("%s", error->message);
      printf ("ACK %u\n", n);
      fflush (stdout);
    }
  return 0;
}

static void
test_kill_while_attaching (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (77031);
  const char *self_path = g_getenv ("DLG_TEST_BINARY");
  guint iterations = 30;

  for (guint i = 0; i < iterations; i++)
    {
      g_autofree char *dir = g_strdup_printf ("%s/attach-%u", f->dir, i);
      g_autofree char *path = g_build_filename (dir, "diligence.sqlite", NULL);
      g_autofree char *sources = g_build_filename (dir, "sources", NULL);
      g_autoptr(GSubprocess) child = NULL;
      g_autoptr(GDataInputStream) out = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(DlgStore) store = NULL;
      g_autoptr(DlgAssessment) a = NULL;
      g_autofree char *id = NULL;
      const DlgAnswer *answer;
      guint acked = 0;
      guint target = g_rand_int_range (rand, 1, 12);
      guint stored;
      char *line;

      g_assert_cmpint (g_mkdir_with_parents (sources, 0700), ==, 0);
      child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                self_path, "--evidence-child", path, sources, NULL);
      g_assert_no_error (error);
      out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));

      while ((line = g_data_input_stream_read_line (out, NULL, NULL, &error)))
        {
          if (g_str_has_prefix (line, "ID "))
            id = g_strdup (line + 3);
          else if (g_str_has_prefix (line, "ACK "))
            acked = atoi (line + 4);
          g_free (line);
          if (acked >= target)
            break;
        }
      /* Sometimes at once, sometimes a moment later: inside the copy, the
       * sync, the rename or the transaction. */
      g_usleep (g_rand_int_range (rand, 0, 20000));
      g_subprocess_send_signal (child, SIGKILL);
      g_subprocess_wait (child, NULL, NULL);
      g_assert_nonnull (id);

      store = dlg_store_open (path, &error);
      g_assert_no_error (error);
      g_assert_true (dlg_store_check_integrity (store, &error));
      g_assert_no_error (error);
      a = dlg_store_load_assessment (store, id, &error);
      g_assert_no_error (error);

      /* Every acknowledged attachment is recorded and its file is there,
       * complete; a crash leaves no temporary copy behind once the store
       * is opened again. */
      answer = dlg_assessment_get_answer (a, "a2");
      g_assert_nonnull (answer);
      g_assert_cmpuint (answer->evidence->len, >=, acked);
      stored = check_evidence_folder (store);
      g_assert_cmpuint (stored, >=, answer->evidence->len);
      for (guint j = 0; j < answer->evidence->len; j++)
        {
          DlgEvidenceRef *ref = g_ptr_array_index (answer->evidence, j);
          g_autoptr(GFile) file = dlg_store_get_evidence_file (store, ref->sha256);

          g_assert_true (g_file_query_exists (file, NULL));
        }
      /* At most the one copied in the moment of the kill is unrecorded. */
      g_assert_cmpuint (stored, <=, answer->evidence->len + 1);
    }
}

/* ------------------------------------------------------------------------ */
/* Writes refused by the operating system                                   */
/* ------------------------------------------------------------------------ */

/* In a child process: a file size limit (RLIMIT_FSIZE) makes every write
 * past it fail with EFBIG, a real failure from the kernel rather than one
 * simulated inside SQLite (test-store.c's disk-full test), and it works
 * for root too, unlike a read-only folder. The parent then checks what
 * is left. */
static int
limit_child (const char *path,
             const char *sources)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgStore) store = dlg_store_open (path, &error);
  g_autoptr(DlgQuestionnaire) q = load_scoring (g_getenv ("G_TEST_SRCDIR"));
  g_autoptr(DlgAssessment) a = dlg_assessment_new (q);
  g_autofree char *id = NULL;
  g_autofree char *huge = g_strnfill (8 * 1024 * 1024, 'x');
  g_autofree char *source_path = write_source (sources, 1, 4 * 1024 * 1024);
  g_autoptr(GFile) source = g_file_new_for_path (source_path);
  struct rlimit limit;

  g_assert_no_error (error);
  id = dlg_store_create_assessment (store, q, "Limited", "2026", NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (dlg_assessment_set_choice (a, "a1", "g", NULL));
  g_assert_true (dlg_store_save_answer (store, id, a, "a1", &error));
  g_assert_no_error (error);
  printf ("ID %s\n", id);

  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &limit), ==, 0);
  limit.rlim_cur = 1024 * 1024;
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

  g_assert_true (dlg_assessment_set_text (a, "b3", huge, NULL));
  g_assert_true (dlg_assessment_set_choice (a, "a1", "r", NULL));
  if (dlg_store_save_answers (store, id, a, (const char * const[]) { "b3", "a1", NULL }, &error))
    g_error ("a write past the file size limit succeeded");
  printf ("SAVE %s %d %s\n", g_quark_to_string (error->domain), error->code, error->message);
  g_clear_error (&error);

  if (dlg_store_add_evidence (store, id, a, "a2", source, NULL, &error))
    g_error ("a copy past the file size limit succeeded");
  printf ("ATTACH %s %d %s\n", g_quark_to_string (error->domain), error->code, error->message);
  fflush (stdout);
  return 0;
}

static void
test_write_refused (Fixture       *f,
                    gconstpointer  data)
{
  const char *self_path = g_getenv ("DLG_TEST_BINARY");
  g_autofree char *sources = g_build_filename (f->dir, "sources", NULL);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgStore) store = NULL;
  g_autoptr(DlgAssessment) a = NULL;
  g_autofree char *out = NULL;
  g_autofree char *id = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (g_mkdir_with_parents (sources, 0700), ==, 0);
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                            self_path, "--limit-child", f->path, sources, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (child, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (child));
  g_test_message ("%s", out);

  lines = g_strsplit (out, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "ID "));
  id = g_strdup (lines[0] + 3);
  /* The save is refused with a store error a person can read... */
  g_assert_true (g_str_has_prefix (lines[1], "SAVE dlg-store-error-quark "));
  /* ...and so is the attachment, as a file system error. */
  g_assert_true (g_str_has_prefix (lines[2], "ATTACH g-io-error-quark "));
  g_assert_nonnull (strstr (lines[2], "File too large"));

  /* Nothing saved before was lost, nothing of the failed writes is
   * there, and the database is intact. */
  store = dlg_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (dlg_store_check_integrity (store, &error));
  g_assert_no_error (error);
  a = dlg_store_load_assessment (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dlg_assessment_get_answer (a, "a1")->string, ==, "g");
  g_assert_null (dlg_assessment_get_answer (a, "b3"));
  g_assert_null (dlg_assessment_get_answer (a, "a2"));
  g_assert_cmpuint (check_evidence_folder (store), ==, 0);
}

/* ------------------------------------------------------------------------ */
/* A database damaged inside                                                */
/* ------------------------------------------------------------------------ */

static void
test_damaged_page (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgStore) store = dlg_store_open (f->path, &error);
  g_autoptr(DlgAssessment) a = dlg_assessment_new (f->q);
  g_autofree char *id = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize length, after_length;

  g_assert_no_error (error);
  id = dlg_store_create_assessment (store, f->q, "Damaged", "2026", NULL, FALSE, &error);
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *text = g_strdup_printf ("answer number %u, long enough to fill pages", i);

      g_assert_true (dlg_assessment_set_text (a, "b3", text, NULL));
      g_assert_true (dlg_assessment_set_comment (a, "a1", text, NULL));
      g_assert_true (dlg_store_save_answers (store, id, a, (const char * const[]) { "b3", "a1", NULL }, &error));
    }
  g_clear_object (&store);

  /* A whole page in the middle of the file overwritten, as a failing disk
   * or a careless copy would do. (Bytes in the unused part of a page would
   * not matter, and are not damage.) */
  g_assert_true (g_file_get_contents (f->path, &before, &length, NULL));
  g_assert_cmpuint (length, >, 3 * 4096);
  memset (before + (length / 4096 / 2) * 4096, 0xa5, 4096);
  g_assert_true (g_file_set_contents (f->path, before, length, NULL));

  /* Found when the store is opened, not later when a page is read. */
  store = dlg_store_open (f->path, &error);
  g_assert_null (store);
  g_assert_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_CORRUPT);
  g_test_message ("%s", error->message);
  g_clear_object (&store);

  /* Told, and left as it was. */
  g_assert_true (g_file_get_contents (f->path, &after, &after_length, NULL));
  g_assert_cmpmem (after, after_length, before, length);
}

/* ------------------------------------------------------------------------ */
/* A file truncated by another program                                      */
/* ------------------------------------------------------------------------ */

/* What dlg_file_read() returns is a copy in memory, not a mapping of the
 * file: another program truncating the file (a sync client, an editor
 * saving in place) cannot pull the pages from under the parser. With a
 * mapping, reading the contents after the truncation raised SIGBUS. */
static void
test_truncated_while_read (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "big.json", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *got = NULL;
  g_autofree char *maps = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize size = 8 * 1024 * 1024;
  gsize length;
  const guchar *read_data;

  contents = g_malloc (size);
  for (gsize i = 0; i < size; i++)
    contents[i] = "[1, 2, 3]\n"[i % 10];
  expected = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, size);
  g_assert_true (g_file_set_contents (path, contents, size, NULL));

  bytes = dlg_file_read (path, DLG_JSON_MAX_SIZE, &error);
  g_assert_no_error (error);

  /* No mapping of the file is left in this process... */
  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  g_assert_null (strstr (maps, path));

  /* ...so its contents survive the file being cut to nothing, in place. */
  g_assert_cmpint (truncate (path, 0), ==, 0);
  read_data = g_bytes_get_data (bytes, &length);
  g_assert_cmpuint (length, ==, size);
  got = g_compute_checksum_for_data (G_CHECKSUM_SHA256, read_data, length);
  g_assert_cmpstr (got, ==, expected);
  /* Text can still be taken as a string: a NUL follows the contents. */
  g_assert_cmpint (read_data[length], ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && strcmp (argv[1], "--evidence-child") == 0)
    return evidence_child (argv[2], argv[3]);
  if (argc == 4 && strcmp (argv[1], "--limit-child") == 0)
    return limit_child (argv[2], argv[3]);

  g_setenv ("DLG_TEST_BINARY", argv[0], TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/store-faults/kill-while-attaching", test_kill_while_attaching);
  ADD ("/store-faults/write-refused", test_write_refused);
  ADD ("/store-faults/damaged-page", test_damaged_page);
  ADD ("/store-faults/truncated-while-read", test_truncated_while_read);

#undef ADD

  return g_test_run ();
}
