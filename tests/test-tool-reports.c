/* test-tool-reports.c - diligence-tool report, verify and export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The command line's signed reports as a script sees them: files, exit
 * status and messages. Each test runs the tool in its own data folder, so
 * that the keys it knows are the ones the test gave it.
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "dlg-core.h"
#include "test-util.h"

typedef struct
{
  int   status;
  char *out;
  char *err;
} Result;

static void
result_clear (Result *r)
{
  g_free (r->out);
  g_free (r->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

typedef struct
{
  char *dir;
  char *data_home;
  char *key;          /* the supplier's private key */
  char *jwk;          /* its public key */
  char *other_jwk;    /* someone else's public key */
  char *report;       /* a report signed with key */
} Fixture;

static void
run_in (Fixture *f,
        Result  *r,
        ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  const char *tool = g_getenv ("DILIGENCE_TOOL");
  const char *arg;
  va_list ap;

  g_assert_nonnull (tool);
  g_ptr_array_add (args, (gpointer) tool);
  va_start (ap, r);
  while ((arg = va_arg (ap, const char *)))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", f->data_home, TRUE);
  g_subprocess_launcher_set_cwd (launcher, f->dir);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &r->out, &r->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  r->status = g_subprocess_get_exit_status (proc);
  g_test_message ("status %d\nstdout: %s\nstderr: %s", r->status, r->out, r->err);
}

static char *
questionnaire_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "questionnaires", "ict-due-diligence.json", NULL);
}

static char *
answers_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "..", "docs", "examples", "ict-due-diligence-answers.json", NULL);
}

static void
write_public_key (Fixture    *f,
                  const char *private_path,
                  const char *public_path)
{
  g_auto(Result) pub = { 0 };
  g_autoptr(GError) error = NULL;

  run_in (f, &pub, "pubkey", private_path, NULL);
  g_assert_cmpint (pub.status, ==, 0);
  g_assert_true (g_file_set_contents (public_path, pub.out, -1, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *q = questionnaire_path ();
  g_autofree char *a = answers_path ();
  g_autofree char *other = NULL;
  g_auto(Result) keygen = { 0 };
  g_auto(Result) keygen2 = { 0 };
  g_auto(Result) report = { 0 };

  f->dir = g_dir_make_tmp ("dlg-tool-reports-XXXXXX", NULL);
  f->data_home = g_build_filename (f->dir, "data", NULL);
  f->key = g_build_filename (f->dir, "supplier.pem", NULL);
  f->jwk = g_build_filename (f->dir, "supplier.jwk", NULL);
  f->other_jwk = g_build_filename (f->dir, "other.jwk", NULL);
  f->report = g_build_filename (f->dir, "report.dlgreport", NULL);
  other = g_build_filename (f->dir, "other.pem", NULL);

  run_in (f, &keygen, "keygen", "--output", f->key, NULL);
  g_assert_cmpint (keygen.status, ==, 0);
  run_in (f, &keygen2, "keygen", "--output", other, NULL);
  g_assert_cmpint (keygen2.status, ==, 0);
  write_public_key (f, f->key, f->jwk);
  write_public_key (f, other, f->other_jwk);

  run_in (f, &report, "report", "--questionnaire", q, "--answers", a,
          "--org", "Norvane IT Solutions BV", "--org-id", "BE0712345630", "--country", "BE",
          "--key", f->key, "--period", "2026",
          "--recipient", "Ville de Liège:BE0207335822", "--recipient", "SPF BOSA: Achats:BE0671516647",
          "--language", "fr", "--output", f->report, NULL);
  g_assert_cmpint (report.status, ==, 0);
  g_assert_true (g_uuid_string_is_valid (g_strstrip (report.out)));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->data_home);
  g_free (f->key);
  g_free (f->jwk);
  g_free (f->other_jwk);
  g_free (f->report);
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static void
test_sign_and_verify (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GBytes) bytes = read_bytes (f->report);
  g_autoptr(DlgSignedDocument) doc = NULL;
  g_autoptr(DlgKey) key = NULL;
  g_autoptr(GBytes) jwk = read_bytes (f->jwk);
  g_autoptr(GError) error = NULL;
  g_auto(Result) ok = { 0 };
  g_autofree char *fingerprint = NULL;
  g_autofree char *sha256 = NULL;
  DlgReport *report;
  const char *text;
  gsize length;

  /* Exactly the compact JWS: no line break, no final newline. */
  text = g_bytes_get_data (bytes, &length);
  g_assert_cmpuint (length, >, 100);
  g_assert_null (memchr (text, '\n', length));
  g_assert_null (memchr (text, ' ', length));

  /* What the tool wrote is what the core reads, with the options given. */
  key = dlg_key_new_from_jwk (g_bytes_get_data (jwk, NULL), g_bytes_get_size (jwk), &error);
  g_assert_no_error (error);
  doc = dlg_signed_document_new (bytes);
  g_assert_true (dlg_signed_document_verify (doc, key, TRUE, "BE 0712.345.630"));
  g_assert_cmpint (dlg_signed_document_get_status (doc), ==, DLG_SIGNATURE_VALID);
  report = dlg_signed_document_get_report (doc);
  g_assert_cmpstr (dlg_report_get_organisation_name (report), ==, "Norvane IT Solutions BV");
  g_assert_cmpstr (dlg_report_get_organisation_country (report), ==, "BE");
  g_assert_cmpstr (dlg_report_get_period (report), ==, "2026");
  g_assert_cmpstr (dlg_report_get_language (report), ==, "fr");
  g_assert_null (dlg_report_get_supersedes (report));
  g_assert_cmpuint (dlg_report_get_n_recipients (report), ==, 2);
  g_assert_cmpstr (dlg_report_get_recipient (report, 0)->name, ==, "Ville de Liège");
  g_assert_cmpstr (dlg_report_get_recipient (report, 0)->id, ==, "BE0207335822");
  /* Split at the last colon: a name may hold one. */
  g_assert_cmpstr (dlg_report_get_recipient (report, 1)->name, ==, "SPF BOSA: Achats");
  g_assert_cmpstr (dlg_report_get_recipient (report, 1)->id, ==, "BE0671516647");
  g_assert_null (dlg_report_get_action_plan (report));

  run_in (f, &ok, "verify", "--trusted-key", f->other_jwk, "--trusted-key", f->jwk, f->report, NULL);
  g_assert_cmpint (ok.status, ==, 0);
  g_assert_cmpstr (ok.err, ==, "");
  fingerprint = dlg_key_get_fingerprint (key);
  sha256 = dlg_sha256_hex (bytes);
  g_assert_nonnull (strstr (ok.out, "valid report, signed by Norvane IT Solutions BV (BE0712345630)"));
  g_assert_nonnull (strstr (ok.out, fingerprint));
  g_assert_nonnull (strstr (ok.out, dlg_key_get_id (key)));
  g_assert_nonnull (strstr (ok.out, dlg_report_get_id (report)));
  g_assert_nonnull (strstr (ok.out, sha256));
}

static void
test_wrong_key (Fixture       *f,
                gconstpointer  data)
{
  g_auto(Result) wrong = { 0 };
  g_auto(Result) unknown = { 0 };
  g_auto(Result) missing_key = { 0 };

  run_in (f, &wrong, "verify", "--trusted-key", f->other_jwk, f->report, NULL);
  g_assert_cmpint (wrong.status, ==, 1);
  g_assert_cmpstr (wrong.out, ==, "");
  g_assert_nonnull (strstr (wrong.err, "not signed by a trusted key"));

  /* No key given and none known in this data folder: nothing can vouch. */
  run_in (f, &unknown, "verify", f->report, NULL);
  g_assert_cmpint (unknown.status, ==, 1);
  g_assert_nonnull (strstr (unknown.err, "unknown signer"));

  run_in (f, &missing_key, "verify", "--trusted-key", "no-such.jwk", f->report, NULL);
  g_assert_cmpint (missing_key.status, ==, 2);
}

/* Changes one byte of the report at @offset into another character that
 * base64url allows, so that only the signature can tell. */
static char *
tamper (Fixture *f,
        gsize    offset)
{
  g_autoptr(GBytes) bytes = read_bytes (f->report);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("tampered-%" G_GSIZE_FORMAT ".dlgreport", offset);
  char *path = g_build_filename (f->dir, name, NULL);
  gsize length = g_bytes_get_size (bytes);
  char *copy = g_memdup2 (g_bytes_get_data (bytes, NULL), length);

  g_assert_cmpuint (offset, <, length);
  g_assert_cmpint (copy[offset], !=, '.');
  copy[offset] = copy[offset] == 'A' ? 'B' : 'A';
  g_assert_true (g_file_set_contents (path, copy, length, &error));
  g_assert_no_error (error);
  g_free (copy);
  return path;
}

static void
test_tampered (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GBytes) bytes = read_bytes (f->report);
  gsize length = g_bytes_get_size (bytes);
  const char *text = g_bytes_get_data (bytes, NULL);
  const char *first_dot = memchr (text, '.', length);
  gsize offsets[] = { 3, (first_dot - text) + 40, length / 2, length - 10 };

  for (guint i = 0; i < G_N_ELEMENTS (offsets); i++)
    {
      g_autofree char *path = tamper (f, offsets[i]);
      g_autofree char *pdf = g_build_filename (f->dir, "tampered.pdf", NULL);
      g_auto(Result) verify = { 0 };
      g_auto(Result) export = { 0 };

      run_in (f, &verify, "verify", "--trusted-key", f->jwk, path, NULL);
      g_assert_cmpint (verify.status, ==, 1);
      g_assert_cmpstr (verify.out, ==, "");
      g_assert_nonnull (strstr (verify.err, "invalid: "));

      /* A changed report is never exported: the exporter refuses what
       * the verifier refuses. */
      run_in (f, &export, "export", "--format", "pdf", "--trusted-key", f->jwk, path, "--output", pdf, NULL);
      g_assert_cmpint (export.status, ==, 1);
      g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
    }

  /* A byte in the signature itself: "changed since signing". */
  {
    g_autofree char *path = tamper (f, length - 10);
    g_auto(Result) verify = { 0 };

    run_in (f, &verify, "verify", "--trusted-key", f->jwk, path, NULL);
    g_assert_cmpint (verify.status, ==, 1);
    g_assert_nonnull (strstr (verify.err, "changed after it was signed"));
  }

  /* Not a signed document at all. */
  {
    g_autofree char *path = g_build_filename (f->dir, "note.dlgreport", NULL);
    g_auto(Result) verify = { 0 };

    g_assert_true (g_file_set_contents (path, "{\"format\": \"diligence-report/1\"}", -1, NULL));
    run_in (f, &verify, "verify", "--trusted-key", f->jwk, path, NULL);
    g_assert_cmpint (verify.status, ==, 1);
    g_assert_nonnull (strstr (verify.err, "invalid: "));
  }
}

/* The user's own known organisations decide when no key is given. */
static void
test_trust_store (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *app_dir = g_build_filename (f->data_home, APP_ID, NULL);
  g_autofree char *trust_path = g_build_filename (app_dir, "trust.json", NULL);
  g_autoptr(DlgTrustStore) trust = NULL;
  DlgTrustedKey *added;
  g_autoptr(GError) error = NULL;
  g_auto(Result) untrusted = { 0 };
  g_auto(Result) trusted = { 0 };
  g_auto(Result) other_org = { 0 };

  g_assert_cmpint (g_mkdir_with_parents (app_dir, 0700), ==, 0);
  trust = dlg_trust_store_open (trust_path, &error);
  g_assert_no_error (error);
  added = dlg_trust_store_import_file (trust, f->jwk, "Norvane IT Solutions BV", "BE0712345630", FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (added);

  run_in (f, &untrusted, "verify", f->report, NULL);
  g_assert_cmpint (untrusted.status, ==, 1);
  g_assert_nonnull (strstr (untrusted.err, "not marked trusted"));

  g_assert_true (dlg_trust_store_set_trusted (trust, dlg_trusted_key_get_id (added), TRUE, &error));
  g_assert_no_error (error);
  run_in (f, &trusted, "verify", f->report, NULL);
  g_assert_cmpint (trusted.status, ==, 0);
  g_assert_nonnull (strstr (trusted.out, "valid report"));

  /* A key known for another organisation does not vouch for this one. */
  g_assert_true (dlg_trust_store_set_organisation (trust, dlg_trusted_key_get_id (added), "Someone Else",
                                                   "BE0999999999", &error));
  g_assert_no_error (error);
  run_in (f, &other_org, "verify", f->report, NULL);
  g_assert_cmpint (other_org.status, ==, 1);
  g_assert_nonnull (strstr (other_org.err, "BE0999999999"));
}

static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *pdf = g_build_filename (f->dir, "report.pdf", NULL);
  g_autofree char *csv = g_build_filename (f->dir, "report.csv", NULL);
  g_autofree char *json = g_build_filename (f->dir, "report.json", NULL);
  g_autofree char *unverified = g_build_filename (f->dir, "unverified.pdf", NULL);
  g_autofree char *pdfinfo = g_find_program_in_path ("pdfinfo");
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) csv_bytes = NULL;
  g_auto(Result) to_pdf = { 0 };
  g_auto(Result) to_csv = { 0 };
  g_auto(Result) to_json = { 0 };
  g_auto(Result) anyway = { 0 };
  g_auto(Result) bad_format = { 0 };
  JsonObject *root;

  run_in (f, &to_pdf, "export", "--format", "pdf", "--trusted-key", f->jwk, f->report, "--output", pdf, NULL);
  g_assert_cmpint (to_pdf.status, ==, 0);
  run_in (f, &to_csv, "export", "--format", "csv", "--trusted-key", f->jwk, f->report, "--output", csv, NULL);
  g_assert_cmpint (to_csv.status, ==, 0);
  run_in (f, &to_json, "export", "--format", "json", "--trusted-key", f->jwk, f->report, "--output", json, NULL);
  g_assert_cmpint (to_json.status, ==, 0);

  csv_bytes = read_bytes (csv);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (csv_bytes, NULL), "section_id,section,question_id,"));

  g_assert_true (json_parser_load_from_file (parser, json, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "diligence-report/1");
  g_assert_cmpstr (json_object_get_string_member (root, "period"), ==, "2026");

  if (pdfinfo != NULL && pdftotext != NULL)
    {
      const char *info_argv[] = { pdfinfo, pdf, NULL };
      const char *text_argv[] = { pdftotext, "-enc", "UTF-8", pdf, "-", NULL };
      g_autofree char *info = NULL;
      g_autofree char *text = NULL;
      g_autofree char *flat = NULL;
      int status;

      g_assert_true (g_spawn_sync (NULL, (char **) info_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &info, NULL, &status, &error));
      g_assert_no_error (error);
      g_assert_cmpint (status, ==, 0);
      g_assert_nonnull (strstr (info, "Page size:"));
      g_assert_nonnull (strstr (info, "A4"));
      g_assert_true (g_spawn_sync (NULL, (char **) text_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &text, NULL, &status, &error));
      g_assert_no_error (error);
      /* The cover names the signer; the key's groups may wrap. */
      g_assert_nonnull (strstr (text, "Norvane IT Solutions BV"));
    }
  else
    g_test_message ("pdfinfo or pdftotext missing: the PDF was written but not read back");
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));

  /* Without a key, a well-formed report is exported, saying so. */
  run_in (f, &anyway, "export", "--format", "pdf", f->report, "--output", unverified, NULL);
  g_assert_cmpint (anyway.status, ==, 0);
  g_assert_nonnull (strstr (anyway.err, "warning: unknown signer"));
  g_assert_true (g_file_test (unverified, G_FILE_TEST_IS_REGULAR));

  run_in (f, &bad_format, "export", "--format", "docx", f->report, "--output", pdf, NULL);
  g_assert_cmpint (bad_format.status, ==, 2);
}

static void
test_report_errors (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *q = questionnaire_path ();
  g_autofree char *a = answers_path ();
  g_autofree char *out = g_build_filename (f->dir, "out.dlgreport", NULL);
  g_autofree char *bad_plan = g_build_filename (f->dir, "plan.json", NULL);
  g_auto(Result) no_id = { 0 };
  g_auto(Result) bad_recipient = { 0 };
  g_auto(Result) public_only = { 0 };
  g_auto(Result) plan = { 0 };
  g_auto(Result) bad_id = { 0 };
  g_auto(Result) bad_supersedes = { 0 };

  run_in (f, &no_id, "report", "--questionnaire", q, "--answers", a, "--org", "Norvane",
          "--key", f->key, "--output", out, NULL);
  g_assert_cmpint (no_id.status, ==, 2);
  g_assert_nonnull (strstr (no_id.err, "--org-id"));

  run_in (f, &bad_recipient, "report", "--questionnaire", q, "--answers", a, "--org", "Norvane",
          "--org-id", "BE0712345630", "--key", f->key, "--output", out, "--recipient", "Nobody", NULL);
  g_assert_cmpint (bad_recipient.status, ==, 2);
  g_assert_nonnull (strstr (bad_recipient.err, "NAME:ID"));

  run_in (f, &public_only, "report", "--questionnaire", q, "--answers", a, "--org", "Norvane",
          "--org-id", "BE0712345630", "--key", f->jwk, "--output", out, NULL);
  g_assert_cmpint (public_only.status, ==, 1);
  g_assert_nonnull (strstr (public_only.err, "private key"));

  g_assert_true (g_file_set_contents (bad_plan, "{\"format\": \"diligence-action-plan/1\"", -1, NULL));
  run_in (f, &plan, "report", "--questionnaire", q, "--answers", a, "--org", "Norvane",
          "--org-id", "BE0712345630", "--key", f->key, "--output", out, "--action-plan", bad_plan, NULL);
  g_assert_cmpint (plan.status, ==, 1);

  run_in (f, &bad_id, "report", "--questionnaire", q, "--answers", a, "--org", "Norvane",
          "--org-id", "!!", "--key", f->key, "--output", out, NULL);
  g_assert_cmpint (bad_id.status, ==, 1);

  run_in (f, &bad_supersedes, "report", "--questionnaire", q, "--answers", a, "--org", "Norvane",
          "--org-id", "BE0712345630", "--key", f->key, "--output", out, "--supersedes", "yesterday", NULL);
  g_assert_cmpint (bad_supersedes.status, ==, 1);

  /* Nothing half-written is left behind by a refusal. */
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

/* A correction with its plan, and a review of it verified by the tool. */
static void
test_supersedes_and_review (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *q = questionnaire_path ();
  g_autofree char *a = answers_path ();
  g_autofree char *plan_path = g_build_filename (f->dir, "plan.json", NULL);
  g_autofree char *correction = g_build_filename (f->dir, "correction.dlgreport", NULL);
  g_autofree char *review_path = g_build_filename (f->dir, "review.dlgreview", NULL);
  g_autofree char *buyer_jwk = g_build_filename (f->dir, "buyer.jwk", NULL);
  g_autoptr(GBytes) first = read_bytes (f->report);
  g_autoptr(DlgSignedDocument) first_doc = dlg_signed_document_new (first);
  g_autoptr(DlgActionPlan) plan = dlg_action_plan_new ("io.github.diligence.ict-due-diligence", "2026.1");
  g_autoptr(DlgKey) buyer = NULL;
  g_autoptr(DlgReview) review = NULL;
  g_autoptr(GPtrArray) decisions = g_ptr_array_new_with_free_func ((GDestroyNotify) dlg_action_decision_free);
  g_autoptr(DlgParty) reviewer = dlg_party_new ("Ville de Liège", "BE0207335822");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) correction_bytes = NULL;
  g_autoptr(DlgSignedDocument) correction_doc = NULL;
  g_autofree char *plan_data = NULL;
  g_autofree char *buyer_text = NULL;
  g_autofree char *jws = NULL;
  g_auto(Result) signed_ = { 0 };
  g_auto(Result) verified = { 0 };
  g_auto(Result) review_verified = { 0 };
  DlgAction *action;
  JsonNode *plan_node;
  gsize length;

  action = dlg_action_plan_add_action (plan, "Audit the second site", NULL, DLG_PRIORITY_MAJOR, &error);
  g_assert_no_error (error);
  plan_data = dlg_action_plan_to_data (plan, &length);
  g_assert_true (g_file_set_contents (plan_path, plan_data, length, &error));

  run_in (f, &signed_, "report", "--questionnaire", q, "--answers", a, "--org", "Norvane IT Solutions BV",
          "--org-id", "BE0712345630", "--key", f->key, "--output", correction, "--period", "2026",
          "--action-plan", plan_path, "--supersedes", dlg_signed_document_get_id (first_doc), NULL);
  g_assert_cmpint (signed_.status, ==, 0);

  run_in (f, &verified, "verify", "--trusted-key", f->jwk, correction, NULL);
  g_assert_cmpint (verified.status, ==, 0);
  g_assert_nonnull (strstr (verified.out, dlg_signed_document_get_id (first_doc)));

  correction_bytes = read_bytes (correction);
  correction_doc = dlg_signed_document_new (correction_bytes);
  g_assert_cmpstr (dlg_report_get_supersedes (dlg_signed_document_get_report (correction_doc)), ==,
                   dlg_signed_document_get_id (first_doc));
  plan_node = dlg_report_get_action_plan (dlg_signed_document_get_report (correction_doc));
  g_assert_nonnull (plan_node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (plan_node));

  /* The buyer's review of the correction, as the app makes it. */
  buyer = dlg_key_generate (&error);
  g_assert_no_error (error);
  buyer_text = dlg_key_to_public_jwk (buyer);
  g_assert_true (g_file_set_contents (buyer_jwk, buyer_text, -1, &error));
  g_ptr_array_add (decisions, dlg_action_decision_new (dlg_action_get_id (action), DLG_DECISION_REJECTED,
                                                       "A second audit is not enough"));
  review = dlg_review_new (dlg_signed_document_get_id (correction_doc), dlg_signed_document_get_sha256 (correction_doc),
                           reviewer, DLG_DECISION_CHANGES_REQUESTED, "Rework the plan", decisions, &error);
  g_assert_no_error (error);
  g_assert_true (dlg_review_is_for_report (review, correction_bytes));
  jws = dlg_review_sign (review, buyer, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (review_path, jws, -1, &error));

  run_in (f, &review_verified, "verify", "--trusted-key", buyer_jwk, review_path, NULL);
  g_assert_cmpint (review_verified.status, ==, 0);
  g_assert_nonnull (strstr (review_verified.out, "valid review, signed by Ville de Liège (BE0207335822)"));
  g_assert_nonnull (strstr (review_verified.out, "Decision: Changes requested"));

  /* A review is checked, but not exported as a report. */
  {
    g_autofree char *pdf = g_build_filename (f->dir, "review.pdf", NULL);
    g_auto(Result) export = { 0 };

    run_in (f, &export, "export", "--format", "pdf", "--trusted-key", buyer_jwk, review_path, "--output", pdf, NULL);
    g_assert_cmpint (export.status, ==, 1);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/tool-reports/sign-and-verify", Fixture, NULL, fixture_set_up, test_sign_and_verify, fixture_tear_down);
  g_test_add ("/tool-reports/wrong-key", Fixture, NULL, fixture_set_up, test_wrong_key, fixture_tear_down);
  g_test_add ("/tool-reports/tampered", Fixture, NULL, fixture_set_up, test_tampered, fixture_tear_down);
  g_test_add ("/tool-reports/trust-store", Fixture, NULL, fixture_set_up, test_trust_store, fixture_tear_down);
  g_test_add ("/tool-reports/export", Fixture, NULL, fixture_set_up, test_export, fixture_tear_down);
  g_test_add ("/tool-reports/report-errors", Fixture, NULL, fixture_set_up, test_report_errors, fixture_tear_down);
  g_test_add ("/tool-reports/supersedes-and-review", Fixture, NULL, fixture_set_up, test_supersedes_and_review, fixture_tear_down);

  return g_test_run ();
}
