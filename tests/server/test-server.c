/* test-server.c - diligence-server's HTTP API over TLS, with bad inputs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server runs in its own thread and main context on 127.0.0.1 with a
 * certificate made for the test; requests go through a libsoup session
 * that trusts only that certificate.
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "dlg-jws.h"
#include "dlg-test-server.h"

#define SUPPLIER "BE0111111111"
#define SUPPLIER2 "BE0222222222"
#define BUYER "BE0333333333"
#define OTHER_BUYER "NL444444444B01"

typedef struct
{
  DlgTestServer       *ts;
  SoupSession         *session;
  DlgTestOrganisation *supplier;
  DlgTestOrganisation *supplier2;
  DlgTestOrganisation *buyer;
  DlgTestOrganisation *other_buyer;
} Fixture;

typedef struct
{
  guint               status;
  GBytes             *body;
  JsonNode           *json;
  SoupMessageHeaders *headers;
} Response;

static void
response_free (Response *r)
{
  g_clear_pointer (&r->body, g_bytes_unref);
  g_clear_pointer (&r->json, json_node_unref);
  g_clear_pointer (&r->headers, soup_message_headers_unref);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->ts = dlg_test_server_new ();
  if (data != NULL)
    {
      /* A tight rate limit for the test that checks it. */
      f->ts->rate_limit = 1;
      f->ts->rate_burst = 3;
    }
  f->ts->max_body_size = 256 * 1024;
  dlg_test_server_start (f->ts);

  f->supplier = dlg_test_server_add_organisation (f->ts, SUPPLIER, DLG_SERVER_ROLE_SUPPLIER);
  f->supplier2 = dlg_test_server_add_organisation (f->ts, SUPPLIER2, DLG_SERVER_ROLE_SUPPLIER);
  f->buyer = dlg_test_server_add_organisation (f->ts, BUYER, DLG_SERVER_ROLE_BUYER);
  f->other_buyer = dlg_test_server_add_organisation (f->ts, OTHER_BUYER, DLG_SERVER_ROLE_BUYER);

  f->session = soup_session_new_with_options ("tls-database", f->ts->trust, "timeout", 20, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->session);
  dlg_test_organisation_free (f->supplier);
  dlg_test_organisation_free (f->supplier2);
  dlg_test_organisation_free (f->buyer);
  dlg_test_organisation_free (f->other_buyer);
  dlg_test_server_free (f->ts);
}

static Response *
request_full (Fixture     *f,
              const char  *method,
              const char  *path,
              const char  *token,
              const char  *content_type,
              const char  *body,
              gssize       length,
              gboolean     expect_continue)
{
  g_autofree char *uri = g_strconcat (f->ts->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GError) error = NULL;
  Response *r = g_new0 (Response, 1);
  const char *type;

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, length < 0 ? strlen (body) : (gsize) length);
      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }
  if (expect_continue)
    soup_message_headers_set_expectations (soup_message_get_request_headers (msg), SOUP_EXPECTATION_CONTINUE);

  r->body = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  r->status = soup_message_get_status (msg);
  r->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));

  type = soup_message_headers_get_content_type (r->headers, NULL);
  if (type != NULL && (g_str_equal (type, "application/json") || g_str_equal (type, "application/problem+json")))
    {
      r->json = json_from_string (g_bytes_get_data (r->body, NULL), &error);
      g_assert_no_error (error);
    }
  return r;
}

static Response *
request (Fixture    *f,
         const char *method,
         const char *path,
         const char *token,
         const char *content_type,
         const char *body)
{
  return request_full (f, method, path, token, content_type, body, -1, FALSE);
}

static const char *
member (Response   *r,
        const char *name)
{
  g_assert_nonnull (r->json);
  return json_object_get_string_member_with_default (json_node_get_object (r->json), name, NULL);
}

/* Every error is a problem document with the status repeated inside. */
static void
assert_problem (Response   *r,
                guint       status,
                const char *code)
{
  g_assert_cmpuint (r->status, ==, status);
  g_assert_cmpstr (soup_message_headers_get_content_type (r->headers, NULL), ==, "application/problem+json");
  g_assert_cmpstr (member (r, "code"), ==, code);
  g_assert_true (g_str_has_prefix (member (r, "type"), "urn:diligence:problem:"));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (r->json), "status"), ==, status);
}

static char *
signed_report (DlgTestOrganisation *from,
               const char          *id,
               const char          *recipient)
{
  const char *recipients[] = { recipient, NULL };
  g_autofree char *payload = dlg_test_report_payload (id, from->id, recipients, 2000);

  return dlg_test_sign (from->key, DLG_JWS_TYP_REPORT, payload);
}

static Response *
submit (Fixture             *f,
        DlgTestOrganisation *as,
        const char          *jws)
{
  return request (f, "POST", "/api/v1/reports", as->token, "application/jose", jws);
}

static gsize
count_documents (Fixture               *f,
                 DlgServerDocumentKind  kind,
                 const char            *recipient)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = dlg_server_storage_list_documents (f->ts->storage, kind, recipient, 0, 1000, &error);

  g_assert_no_error (error);
  return list->len;
}

static void
test_health (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(Response) r = request (f, "GET", "/api/v1/health", NULL, NULL, NULL);
  g_autoptr(Response) me = request (f, "GET", "/api/v1/me", f->buyer->token, NULL, NULL);
  g_autoptr(Response) nowhere = request (f, "GET", "/api/v1/nowhere", f->buyer->token, NULL, NULL);
  g_autoptr(Response) method = request (f, "DELETE", "/api/v1/reports", f->buyer->token, NULL, NULL);

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (member (r, "status"), ==, "ok");

  g_assert_cmpuint (me->status, ==, 200);
  g_assert_cmpstr (member (me, "id"), ==, BUYER);

  assert_problem (nowhere, 404, "not-found");
  assert_problem (method, 405, "method-not-allowed");
  g_assert_nonnull (soup_message_headers_get_one (method->headers, "Allow"));
}

static void
test_submit (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *id = dlg_test_uuid ();
  g_autofree char *jws = signed_report (f->supplier, id, BUYER);
  g_autofree char *path = g_strconcat ("/api/v1/reports/", id, NULL);
  g_autoptr(GBytes) bytes = g_bytes_new (jws, strlen (jws));
  g_autofree char *digest = dlg_sha256_hex (bytes);
  g_autoptr(Response) created = submit (f, f->supplier, jws);
  g_autoptr(Response) fetched = NULL;
  g_autoptr(Response) listed = NULL;
  JsonArray *items;

  g_assert_cmpuint (created->status, ==, 201);
  g_assert_cmpstr (member (created, "status"), ==, "created");
  g_assert_cmpstr (member (created, "id"), ==, id);
  g_assert_cmpstr (member (created, "sha256"), ==, digest);
  g_assert_cmpstr (soup_message_headers_get_one (created->headers, "Location"), ==, path);
  g_assert_nonnull (member (created, "received_at"));

  /* The recipient gets the exact bytes. */
  fetched = request (f, "GET", path, f->buyer->token, NULL, NULL);
  g_assert_cmpuint (fetched->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (fetched->headers, NULL), ==, "application/jose");
  g_assert_true (g_bytes_equal (fetched->body, bytes));

  listed = request (f, "GET", "/api/v1/reports", f->buyer->token, NULL, NULL);
  g_assert_cmpuint (listed->status, ==, 200);
  items = json_object_get_array_member (json_node_get_object (listed->json), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "sender"), ==, SUPPLIER);
  g_assert_true (json_object_get_null_member (json_node_get_object (listed->json), "next_cursor"));
}

static void
test_duplicate (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *id = dlg_test_uuid ();
  g_autofree char *jws = signed_report (f->supplier, id, BUYER);
  g_autoptr(Response) first = submit (f, f->supplier, jws);
  g_autoptr(Response) again = submit (f, f->supplier, jws);

  g_assert_cmpuint (first->status, ==, 201);
  g_assert_cmpuint (again->status, ==, 200);
  g_assert_cmpstr (member (again, "status"), ==, "duplicate");
  /* The original result: the same receipt, time included. */
  g_assert_cmpstr (member (again, "received_at"), ==, member (first, "received_at"));
  g_assert_cmpstr (member (again, "sha256"), ==, member (first, "sha256"));
  g_assert_cmpuint (count_documents (f, DLG_SERVER_DOCUMENT_REPORT, BUYER), ==, 1);
}

static void
test_conflict (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *id = dlg_test_uuid ();
  g_autofree char *jws = signed_report (f->supplier, id, BUYER);
  g_autofree char *other = signed_report (f->supplier, id, OTHER_BUYER);
  g_autofree char *path = g_strconcat ("/api/v1/reports/", id, NULL);
  g_autoptr(Response) first = submit (f, f->supplier, jws);
  g_autoptr(Response) conflict = submit (f, f->supplier, other);
  g_autoptr(Response) fetched = request (f, "GET", path, f->buyer->token, NULL, NULL);
  g_autoptr(Response) other_fetch = request (f, "GET", path, f->other_buyer->token, NULL, NULL);

  g_assert_cmpuint (first->status, ==, 201);
  assert_problem (conflict, 409, "conflict");

  /* Stored nowhere: the first stays, the second reached nobody. */
  g_assert_cmpuint (fetched->status, ==, 200);
  g_assert_cmpmem (g_bytes_get_data (fetched->body, NULL), g_bytes_get_size (fetched->body), jws, strlen (jws));
  assert_problem (other_fetch, 404, "not-found");
  g_assert_cmpuint (count_documents (f, DLG_SERVER_DOCUMENT_REPORT, OTHER_BUYER), ==, 0);
}

static void
test_wrong_token (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *id = dlg_test_uuid ();
  g_autofree char *jws = signed_report (f->supplier, id, BUYER);
  g_autofree char *forged = g_strdup (f->supplier->token);
  g_autoptr(Response) none = request (f, "POST", "/api/v1/reports", NULL, "application/jose", jws);
  g_autoptr(Response) garbage = submit (f, &(DlgTestOrganisation) { .token = (char *) "not-a-token" }, jws);
  g_autoptr(Response) wrong_secret = NULL;
  g_autoptr(Response) unknown_id = NULL;
  char *last = forged + strlen (forged) - 1;

  /* The same id with another secret, and another id with the same secret. */
  *last = *last == 'A' ? 'B' : 'A';
  wrong_secret = submit (f, &(DlgTestOrganisation) { .token = forged }, jws);
  memcpy (forged, f->supplier->token, strlen (forged));
  forged[6] = forged[6] == 'A' ? 'B' : 'A';
  unknown_id = submit (f, &(DlgTestOrganisation) { .token = forged }, jws);

  assert_problem (none, 401, "unauthorized");
  assert_problem (garbage, 401, "unauthorized");
  assert_problem (wrong_secret, 401, "unauthorized");
  assert_problem (unknown_id, 401, "unauthorized");
  g_assert_nonnull (soup_message_headers_get_one (none->headers, "WWW-Authenticate"));

  /* All failures look alike. */
  g_assert_true (g_bytes_equal (none->body, wrong_secret->body));
  g_assert_true (g_bytes_equal (garbage->body, unknown_id->body));
  g_assert_cmpuint (count_documents (f, DLG_SERVER_DOCUMENT_REPORT, BUYER), ==, 0);
}

static void
test_revoked_token (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *id = dlg_test_uuid ();
  g_autofree char *jws = signed_report (f->supplier, id, BUYER);
  g_autoptr(Response) before = request (f, "GET", "/api/v1/me", f->supplier->token, NULL, NULL);
  g_autoptr(Response) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token_id = g_strndup (f->supplier->token + 5, 12);

  g_assert_cmpuint (before->status, ==, 200);

  dlg_server_storage_revoke_token (f->ts->storage, token_id, &error);
  g_assert_no_error (error);

  /* Revocation takes effect on the next request, without a restart. */
  after = submit (f, f->supplier, jws);
  assert_problem (after, 401, "unauthorized");
  g_assert_cmpuint (count_documents (f, DLG_SERVER_DOCUMENT_REPORT, BUYER), ==, 0);
}

/* The server keeps organisations, tokens and keys in memory: a change
 * made by another process (here another connection to the database, as an
 * admin command's) still counts from the next request on, after requests
 * that had them all read. */
static void
test_directory_changes (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgServerStorage) admin = dlg_server_storage_sqlite_open (f->ts->database, &error);
  DlgServerOrganisation as_buyer = { (char *) SUPPLIER, (char *) "Organisation " SUPPLIER, DLG_SERVER_ROLE_BUYER, 0 };
  DlgServerOrganisation as_supplier = { (char *) SUPPLIER, (char *) "Organisation " SUPPLIER,
                                        DLG_SERVER_ROLE_SUPPLIER, 0 };
  g_autofree char *token_id = g_strndup (f->supplier->token + 5, 12);
  guint sent = 0;

  g_assert_no_error (error);

#define SUBMIT_EXPECTING(expected, problem) \
  G_STMT_START { \
    g_autofree char *id = dlg_test_uuid (); \
    g_autofree char *jws = signed_report (f->supplier, id, BUYER); \
    g_autoptr(Response) r = submit (f, f->supplier, jws); \
    if ((expected) == 201) \
      { \
        g_assert_cmpuint (r->status, ==, 201); \
        sent++; \
      } \
    else \
      assert_problem (r, expected, problem); \
  } G_STMT_END

  /* Twice: the second from what the first kept. */
  SUBMIT_EXPECTING (201, NULL);
  SUBMIT_EXPECTING (201, NULL);

  /* The role taken away, then given back. */
  g_assert_true (dlg_server_storage_update_organisation (admin, &as_buyer, &error));
  g_assert_no_error (error);
  SUBMIT_EXPECTING (403, "forbidden");
  g_assert_true (dlg_server_storage_update_organisation (admin, &as_supplier, &error));
  SUBMIT_EXPECTING (201, NULL);

  /* The key revoked, then the token. */
  g_assert_true (dlg_server_storage_revoke_key (admin, dlg_key_get_id (f->supplier->key), &error));
  SUBMIT_EXPECTING (422, "unknown-key");
  g_assert_true (dlg_server_storage_revoke_token (admin, token_id, &error));
  SUBMIT_EXPECTING (401, "unauthorized");
#undef SUBMIT_EXPECTING

  g_assert_cmpuint (count_documents (f, DLG_SERVER_DOCUMENT_REPORT, BUYER), ==, sent);
  dlg_server_storage_close (admin);
}

static void
test_wrong_signer (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *id = dlg_test_uuid ();
  const char *recipients[] = { BUYER, NULL };
  g_autofree char *payload = dlg_test_report_payload (id, SUPPLIER, recipients, 500);
  g_autofree char *by_other_key = dlg_test_sign (f->supplier2->key, DLG_JWS_TYP_REPORT, payload);
  g_autofree char *genuine = dlg_test_sign (f->supplier->key, DLG_JWS_TYP_REPORT, payload);
  g_autoptr(Response) impostor = NULL;
  g_autoptr(Response) foreign_key = NULL;
  g_autoptr(Response) wrong_role = NULL;

  /* Supplier 2 sends supplier 1's genuine report: the token says who sends. */
  impostor = submit (f, f->supplier2, genuine);
  assert_problem (impostor, 403, "wrong-sender");

  /* Supplier 1's report, signed with supplier 2's enrolled key. */
  foreign_key = submit (f, f->supplier, by_other_key);
  assert_problem (foreign_key, 422, "unknown-key");

  /* A buyer may not send reports at all. */
  wrong_role = submit (f, f->buyer, genuine);
  assert_problem (wrong_role, 403, "forbidden");

  g_assert_cmpuint (count_documents (f, DLG_SERVER_DOCUMENT_REPORT, BUYER), ==, 0);
}

static void
test_forged_signature (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *id = dlg_test_uuid ();
  g_autofree char *jws = signed_report (f->supplier, id, BUYER);
  g_autofree char *payload_changed = g_strdup (jws);
  g_autofree char *signature_changed = g_strdup (jws);
  g_autoptr(DlgKey) stranger = NULL;
  g_autofree char *unenrolled = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Response) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL;
  char *dot = strchr (payload_changed, '.') + 1;
  char *last_dot = strrchr (signature_changed, '.') + 1;
  const char *recipients[] = { BUYER, NULL };
  g_autofree char *payload = dlg_test_report_payload (id, SUPPLIER, recipients, 500);

  /* One character of the payload and of the signature, staying valid
   * base64url. */
  dot[10] = dot[10] == 'A' ? 'B' : 'A';
  last_dot[5] = last_dot[5] == 'A' ? 'B' : 'A';
  r1 = submit (f, f->supplier, payload_changed);
  r2 = submit (f, f->supplier, signature_changed);
  assert_problem (r2, 422, "bad-signature");
  /* A changed payload may no longer be JSON; either way it is refused. */
  g_assert_true (r1->status == 422 || r1->status == 400);
  g_assert_true (g_str_equal (member (r1, "code"), "bad-signature") || g_str_equal (member (r1, "code"), "malformed"));

  /* A key nobody enrolled. */
  stranger = dlg_key_generate (&error);
  g_assert_no_error (error);
  unenrolled = dlg_test_sign (stranger, DLG_JWS_TYP_REPORT, payload);
  r3 = submit (f, f->supplier, unenrolled);
  assert_problem (r3, 422, "unknown-key");

  /* And the genuine one still goes through. */
  r4 = submit (f, f->supplier, jws);
  g_assert_cmpuint (r4->status, ==, 201);
  g_assert_cmpuint (count_documents (f, DLG_SERVER_DOCUMENT_REPORT, BUYER), ==, 1);
}

static void
test_oversized (Fixture       *f,
                gconstpointer  data)
{
  gsize size = 512 * 1024;
  g_autofree char *big = g_malloc (size);
  g_autoptr(Response) plain = NULL, expecting = NULL, after = NULL;
  g_autofree char *id = dlg_test_uuid ();
  g_autofree char *jws = signed_report (f->supplier, id, BUYER);

  memset (big, 'A', size);

  /* Refused before the body is read, with or without 100-continue. */
  plain = request_full (f, "POST", "/api/v1/reports", f->supplier->token, "application/jose", big, size, FALSE);
  assert_problem (plain, 413, "too-large");
  expecting = request_full (f, "POST", "/api/v1/reports", f->supplier->token, "application/jose", big, size, TRUE);
  assert_problem (expecting, 413, "too-large");

  /* Refused even before authentication: no token needed to learn the limit. */
  g_clear_pointer (&plain, response_free);
  plain = request_full (f, "POST", "/api/v1/reports", NULL, "application/jose", big, size, FALSE);
  assert_problem (plain, 413, "too-large");

  after = submit (f, f->supplier, jws);
  g_assert_cmpuint (after->status, ==, 201);
}

static void
test_malformed (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *id = dlg_test_uuid ();
  g_autofree char *jws = signed_report (f->supplier, id, BUYER);
  g_autofree char *not_json = dlg_test_sign (f->supplier->key, DLG_JWS_TYP_REPORT, "{\"format\": ");
  g_autofree char *duplicate_key = NULL, *no_id = NULL, *no_recipients = NULL, *as_review = NULL;
  g_autofree char *unknown_member = NULL;
  g_autofree char *payload = NULL;
  struct {
    const char *body;
    const char *type;
    guint       status;
    const char *code;
  } cases[7];

  payload = g_strdup_printf ("{\"format\":\"diligence-report/1\",\"id\":\"%s\",\"id\":\"%s\","
                             "\"organisation\":{\"id\":\"%s\"},\"recipients\":[{\"id\":\"%s\"}]}",
                             id, id, SUPPLIER, BUYER);
  duplicate_key = dlg_test_sign (f->supplier->key, DLG_JWS_TYP_REPORT, payload);
  g_free (payload);
  payload = g_strdup_printf ("{\"format\":\"diligence-report/1\",\"organisation\":{\"id\":\"%s\"},"
                             "\"recipients\":[{\"id\":\"%s\"}]}", SUPPLIER, BUYER);
  no_id = dlg_test_sign (f->supplier->key, DLG_JWS_TYP_REPORT, payload);
  g_free (payload);
  payload = dlg_test_report_payload (id, SUPPLIER, NULL, 100);
  no_recipients = dlg_test_sign (f->supplier->key, DLG_JWS_TYP_REPORT, payload);
  g_free (payload);
  payload = dlg_test_report_payload (id, SUPPLIER, (const char *[]) { BUYER, NULL }, 100);
  payload[strlen (payload) - 1] = '\0';
  unknown_member = g_strconcat (payload, ",\"extra\":1}", NULL);
  g_free (payload);
  payload = g_steal_pointer (&unknown_member);
  unknown_member = dlg_test_sign (f->supplier->key, DLG_JWS_TYP_REPORT, payload);
  g_free (payload);
  payload = dlg_test_report_payload (id, SUPPLIER, (const char *[]) { BUYER, NULL }, 100);
  as_review = dlg_test_sign (f->supplier->key, DLG_JWS_TYP_REVIEW, payload);

  cases[0] = (typeof (cases[0])) { "not a JWS", "application/jose", 400, "malformed" };
  cases[1] = (typeof (cases[0])) { not_json, "application/jose", 400, "malformed" };
  cases[2] = (typeof (cases[0])) { duplicate_key, "application/jose", 400, "malformed" };
  cases[3] = (typeof (cases[0])) { no_id, "application/jose", 422, "invalid-document" };
  cases[4] = (typeof (cases[0])) { no_recipients, "application/jose", 422, "unknown-recipient" };
  cases[5] = (typeof (cases[0])) { as_review, "application/jose", 400, "malformed" };
  cases[6] = (typeof (cases[0])) { unknown_member, "application/jose", 422, "invalid-document" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Response) r = request (f, "POST", "/api/v1/reports", f->supplier->token, cases[i].type, cases[i].body);

      g_test_message ("case %u", i);
      assert_problem (r, cases[i].status, cases[i].code);
      g_assert_nonnull (member (r, "detail"));
    }

  {
    g_autoptr(Response) wrong_type = request (f, "POST", "/api/v1/reports", f->supplier->token, "application/json", jws);
    g_autoptr(Response) unknown_recipient = NULL;
    g_autofree char *to_nobody = signed_report (f->supplier, id, "FR99999999999");

    assert_problem (wrong_type, 415, "unsupported-media-type");
    unknown_recipient = submit (f, f->supplier, to_nobody);
    assert_problem (unknown_recipient, 422, "unknown-recipient");
  }

  g_assert_cmpuint (count_documents (f, DLG_SERVER_DOCUMENT_REPORT, BUYER), ==, 0);
}

static void
test_other_organisation (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *id = dlg_test_uuid ();
  g_autofree char *missing = dlg_test_uuid ();
  g_autofree char *jws = signed_report (f->supplier, id, BUYER);
  g_autofree char *path = g_strconcat ("/api/v1/reports/", id, NULL);
  g_autofree char *missing_path = g_strconcat ("/api/v1/reports/", missing, NULL);
  g_autoptr(Response) created = submit (f, f->supplier, jws);
  g_autoptr(Response) by_other_buyer = request (f, "GET", path, f->other_buyer->token, NULL, NULL);
  g_autoptr(Response) by_other_supplier = request (f, "GET", path, f->supplier2->token, NULL, NULL);
  g_autoptr(Response) not_there = request (f, "GET", missing_path, f->other_buyer->token, NULL, NULL);
  g_autoptr(Response) by_sender = request (f, "GET", path, f->supplier->token, NULL, NULL);
  g_autoptr(Response) list = request (f, "GET", "/api/v1/reports", f->other_buyer->token, NULL, NULL);
  g_autoptr(Response) anonymous = request (f, "GET", path, NULL, NULL, NULL);

  g_assert_cmpuint (created->status, ==, 201);

  /* Not readable and not there look the same, byte for byte. */
  assert_problem (by_other_buyer, 404, "not-found");
  assert_problem (by_other_supplier, 404, "not-found");
  assert_problem (not_there, 404, "not-found");
  g_assert_true (g_bytes_equal (by_other_buyer->body, not_there->body));
  assert_problem (anonymous, 401, "unauthorized");

  /* Its sender may read it back. */
  g_assert_cmpuint (by_sender->status, ==, 200);

  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (list->json), "items")),
                    ==, 0);
}

static void
test_pages (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cursor = NULL;
  guint seen = 0;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *jws = NULL;
      g_autoptr(Response) r = NULL;

      g_ptr_array_add (ids, dlg_test_uuid ());
      jws = signed_report (f->supplier, g_ptr_array_index (ids, i), BUYER);
      r = submit (f, f->supplier, jws);
      g_assert_cmpuint (r->status, ==, 201);
    }

  /* Newest first, two at a time, until the cursor runs out. */
  for (guint page = 0; page < 10; page++)
    {
      g_autofree char *path = cursor ? g_strdup_printf ("/api/v1/reports?limit=2&cursor=%s", cursor)
                                     : g_strdup ("/api/v1/reports?limit=2");
      g_autoptr(Response) r = request (f, "GET", path, f->buyer->token, NULL, NULL);
      JsonObject *root = json_node_get_object (r->json);
      JsonArray *items = json_object_get_array_member (root, "items");

      g_assert_cmpuint (r->status, ==, 200);
      for (guint i = 0; i < json_array_get_length (items); i++, seen++)
        g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, i), "id"),
                         ==, g_ptr_array_index (ids, 4 - seen));

      g_clear_pointer (&cursor, g_free);
      if (json_object_get_null_member (root, "next_cursor"))
        break;
      cursor = g_strdup (json_object_get_string_member (root, "next_cursor"));
    }
  g_assert_cmpuint (seen, ==, 5);

  {
    g_autoptr(Response) bad_cursor = request (f, "GET", "/api/v1/reports?cursor=zzzz", f->buyer->token, NULL, NULL);
    g_autoptr(Response) bad_limit = request (f, "GET", "/api/v1/reports?limit=0", f->buyer->token, NULL, NULL);
    g_autoptr(Response) huge_limit = request (f, "GET", "/api/v1/reports?limit=100000", f->buyer->token, NULL, NULL);

    assert_problem (bad_cursor, 400, "bad-cursor");
    assert_problem (bad_limit, 400, "malformed");
    assert_problem (huge_limit, 400, "malformed");
  }
}

static char *
signed_review (DlgTestOrganisation *from,
               const char          *report_id,
               const char          *report_sha256)
{
  g_autofree char *id = dlg_test_uuid ();
  g_autofree char *payload = g_strdup_printf ("{\"format\":\"diligence-review/1\",\"id\":\"%s\",\"report_id\":\"%s\","
                                              "\"report_sha256\":\"%s\",\"created_at\":\"2026-03-02T10:00:00Z\","
                                              "\"reviewer\":{\"name\":\"Buyer\",\"id\":\"%s\"},"
                                              "\"decision\":\"changes_requested\",\"reason\":\"Add evidence\","
                                              "\"actions\":[]}",
                                              id, report_id, report_sha256, from->id);

  return dlg_test_sign (from->key, DLG_JWS_TYP_REVIEW, payload);
}

static void
test_reviews (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *id = dlg_test_uuid ();
  g_autofree char *jws = signed_report (f->supplier, id, BUYER);
  g_autoptr(Response) created = submit (f, f->supplier, jws);
  const char *digest = member (created, "sha256");
  g_autofree char *review = signed_review (f->buyer, id, digest);
  g_autofree char *wrong_digest = signed_review (f->buyer, id, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
  g_autofree char *outsider = signed_review (f->other_buyer, id, digest);
  g_autofree char *own = signed_review (f->supplier, id, digest);
  g_autoptr(Response) r = NULL, again = NULL, mismatch = NULL, stranger = NULL, self_review = NULL;
  g_autoptr(Response) list = NULL, supplier_list = NULL;
  JsonArray *items;

  g_assert_cmpuint (created->status, ==, 201);

  r = request (f, "POST", "/api/v1/reviews", f->buyer->token, "application/jose", review);
  g_assert_cmpuint (r->status, ==, 201);
  g_assert_cmpstr (member (r, "kind"), ==, "review");
  again = request (f, "POST", "/api/v1/reviews", f->buyer->token, "application/jose", review);
  g_assert_cmpuint (again->status, ==, 200);

  mismatch = request (f, "POST", "/api/v1/reviews", f->buyer->token, "application/jose", wrong_digest);
  assert_problem (mismatch, 422, "report-mismatch");
  stranger = request (f, "POST", "/api/v1/reviews", f->other_buyer->token, "application/jose", outsider);
  assert_problem (stranger, 422, "unknown-report");
  self_review = request (f, "POST", "/api/v1/reviews", f->supplier->token, "application/jose", own);
  assert_problem (self_review, 403, "forbidden");

  /* The supplier sees the review of its report; the buyer's list of
   * reviews addressed to it stays empty. */
  supplier_list = request (f, "GET", "/api/v1/reviews", f->supplier->token, NULL, NULL);
  items = json_object_get_array_member (json_node_get_object (supplier_list->json), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "report_id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "sender"), ==, BUYER);

  list = request (f, "GET", "/api/v1/reviews", f->buyer->token, NULL, NULL);
  items = json_object_get_array_member (json_node_get_object (list->json), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 0);
}

static void
test_questionnaires (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "valid", "scoring.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Response) published = NULL, again = NULL, invalid = NULL, by_supplier = NULL, list = NULL, fetched = NULL;
  g_autofree char *fetch_path = NULL;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  published = request (f, "POST", "/api/v1/questionnaires", f->buyer->token, "application/json", contents);
  g_assert_cmpuint (published->status, ==, 201);
  again = request (f, "POST", "/api/v1/questionnaires", f->buyer->token, "application/json", contents);
  g_assert_cmpuint (again->status, ==, 200);
  g_assert_cmpstr (member (again, "sha256"), ==, member (published, "sha256"));

  invalid = request (f, "POST", "/api/v1/questionnaires", f->buyer->token, "application/json", "{\"format\":1}");
  assert_problem (invalid, 422, "invalid-questionnaire");
  by_supplier = request (f, "POST", "/api/v1/questionnaires", f->supplier->token, "application/json", contents);
  assert_problem (by_supplier, 403, "forbidden");

  list = request (f, "GET", "/api/v1/questionnaires", f->supplier->token, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (list->json), "items")),
                    ==, 1);
  fetch_path = g_strconcat ("/api/v1/questionnaires/", member (published, "sha256"), NULL);
  fetched = request (f, "GET", fetch_path, f->supplier->token, NULL, NULL);
  g_assert_cmpuint (fetched->status, ==, 200);
  g_assert_cmpmem (g_bytes_get_data (fetched->body, NULL), g_bytes_get_size (fetched->body), contents, length);
}

static void
test_keys (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(DlgKey) fresh = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *jwk = NULL, *private_pem = NULL;
  g_autoptr(Response) enrolled = NULL, again = NULL, stolen = NULL, listed = NULL, with_private = NULL;
  g_autofree char *other_key = dlg_key_to_public_jwk (f->supplier->key);

  fresh = dlg_key_generate (&error);
  g_assert_no_error (error);
  jwk = dlg_key_to_public_jwk (fresh);

  enrolled = request (f, "POST", "/api/v1/keys", f->supplier2->token, "application/jwk+json", jwk);
  g_assert_cmpuint (enrolled->status, ==, 201);
  again = request (f, "POST", "/api/v1/keys", f->supplier2->token, "application/jwk+json", jwk);
  g_assert_cmpuint (again->status, ==, 200);

  /* Another organisation's key cannot be taken over. */
  stolen = request (f, "POST", "/api/v1/keys", f->supplier2->token, "application/jwk+json", other_key);
  assert_problem (stolen, 409, "key-exists");

  listed = request (f, "GET", "/api/v1/organisations/" SUPPLIER2 "/keys", f->buyer->token, NULL, NULL);
  g_assert_cmpuint (listed->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (listed->json), "keys")),
                    ==, 2);

  with_private = request (f, "POST", "/api/v1/keys", f->supplier2->token, "application/jwk+json", "{\"kty\":\"OKP\"}");
  assert_problem (with_private, 400, "malformed");
}

static void
test_rate_limit (Fixture       *f,
                 gconstpointer  data)
{
  guint limited = 0, ok = 0;

  /* Burst 3 at one a second: the fourth of five quick requests waits. */
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(Response) r = request (f, "GET", "/api/v1/me", f->buyer->token, NULL, NULL);

      if (r->status == 429)
        {
          assert_problem (r, 429, "rate-limited");
          g_assert_nonnull (soup_message_headers_get_one (r->headers, "Retry-After"));
          limited++;
        }
      else
        {
          g_assert_cmpuint (r->status, ==, 200);
          ok++;
        }
    }
  g_assert_cmpuint (limited, >=, 1);
  g_assert_cmpuint (ok, >=, 3);

  /* Per token: another organisation is not slowed down. */
  {
    g_autoptr(Response) other = request (f, "GET", "/api/v1/me", f->supplier->token, NULL, NULL);
    g_assert_cmpuint (other->status, ==, 200);
  }
}

typedef struct
{
  Fixture  *f;
  guint     pending;
  guint     created;
  guint     refused;
  gboolean  shutdown_started;
  GMainLoop *loop;
} Concurrent;

static void
concurrent_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Concurrent *c = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  if (body != NULL && soup_message_get_status (msg) == 201)
    c->created++;
  else
    c->refused++;
  if (--c->pending == 0)
    g_main_loop_quit (c->loop);
}

static void
shutdown_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Concurrent *c = user_data;
  g_autoptr(GError) error = NULL;

  dlg_server_shutdown_finish (DLG_SERVER (source), result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dlg_server_get_in_flight (DLG_SERVER (source)), ==, 0);
  g_main_loop_quit (c->f->ts->loop);
}

static void
stored_cb (DlgServer  *server,
           int         kind,
           const char *id,
           gboolean    created,
           Concurrent *c)
{
  if (!c->shutdown_started)
    {
      c->shutdown_started = TRUE;
      dlg_server_shutdown_async (server, 10, NULL, shutdown_done_cb, c);
    }
}

static gboolean
connect_stored (gpointer data)
{
  Concurrent *c = data;

  g_signal_connect (c->f->ts->server, "document-stored", G_CALLBACK (stored_cb), c);
  return G_SOURCE_REMOVE;
}

static void
test_shutdown (Fixture       *f,
               gconstpointer  data)
{
  Concurrent c = { f, 0, 0, 0, FALSE, g_main_loop_new (NULL, FALSE) };
  g_autoptr(SoupSession) session = soup_session_new_with_options ("tls-database", f->ts->trust,
                                                                   "max-conns-per-host", 8, NULL);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) late = NULL;
  g_autoptr(GError) error = NULL;
  guint stored;

  /* The first durable submission starts the shutdown while the others
   * are under way: each must then be either acknowledged and stored, or
   * refused; never acknowledged and lost. */
  dlg_test_server_invoke (f->ts, connect_stored, &c);

  for (guint i = 0; i < 16; i++)
    {
      g_autofree char *uri = g_strconcat (f->ts->url, "/api/v1/reports", NULL);
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
      g_autofree char *auth = g_strconcat ("Bearer ", f->supplier->token, NULL);
      g_autofree char *jws = NULL;
      g_autoptr(GBytes) bytes = NULL;

      g_ptr_array_add (ids, dlg_test_uuid ());
      jws = signed_report (f->supplier, g_ptr_array_index (ids, i), BUYER);
      bytes = g_bytes_new (jws, strlen (jws));
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
      soup_message_set_request_body_from_bytes (msg, "application/jose", bytes);
      c.pending++;
      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, concurrent_done_cb, &c);
    }
  g_main_loop_run (c.loop);
  dlg_test_server_join (f->ts);

  g_test_message ("%u acknowledged, %u refused", c.created, c.refused);
  g_assert_true (c.shutdown_started);
  g_assert_cmpuint (c.created, >=, 1);
  g_assert_cmpuint (c.created + c.refused, ==, 16);
  stored = count_documents (f, DLG_SERVER_DOCUMENT_REPORT, BUYER);
  g_assert_cmpuint (stored, >=, c.created);

  /* No new connections once shut down. */
  late = g_socket_client_connect_to_host (client, "127.0.0.1", f->ts->port, NULL, &error);
  g_assert_null (late);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);

  g_main_loop_unref (c.loop);
}

/* Connections that stop in the middle of the TLS handshake, or speak no
 * TLS at all, cost the server nothing but themselves: after each, the
 * health check still answers and a report is still accepted. */
static void
test_truncated_tls (Fixture       *f,
                    gconstpointer  data)
{
  /* A ClientHello's record and handshake headers, its version and the
   * start of its random, cut at several places. */
  static const guint8 hello[] = {
    0x16, 0x03, 0x01, 0x02, 0x00,       /* handshake record, 512 bytes */
    0x01, 0x00, 0x01, 0xfc,             /* ClientHello, 508 bytes */
    0x03, 0x03,                         /* TLS 1.2 */
    0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a,
  };
  static const char plain[] = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  const gsize cuts[] = { 0, 1, 5, 9, sizeof hello };
  g_autoptr(GSocketClient) client = g_socket_client_new ();

  for (guint i = 0; i < G_N_ELEMENTS (cuts) + 1; i++)
    {
      g_autoptr(GSocketConnection) conn = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(Response) health = NULL;
      GOutputStream *out;

      conn = g_socket_client_connect_to_host (client, "127.0.0.1", f->ts->port, NULL, &error);
      g_assert_no_error (error);
      out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
      if (i < G_N_ELEMENTS (cuts))
        g_output_stream_write_all (out, hello, cuts[i], NULL, NULL, &error);
      else
        /* Plain HTTP to the TLS port: refused, not answered in the clear. */
        g_output_stream_write_all (out, plain, strlen (plain), NULL, NULL, &error);
      g_assert_no_error (error);
      g_io_stream_close (G_IO_STREAM (conn), NULL, &error);
      g_assert_no_error (error);

      health = request (f, "GET", "/api/v1/health", NULL, NULL, NULL);
      g_assert_cmpuint (health->status, ==, 200);
    }

  /* And real work still goes through. */
  {
    g_autofree char *id = dlg_test_uuid ();
    g_autofree char *jws = signed_report (f->supplier, id, BUYER);
    g_autoptr(Response) r = request (f, "POST", "/api/v1/reports", f->supplier->token,
                                     "application/jose", jws);

    g_assert_cmpuint (r->status, ==, 201);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("/server/health", test_health, NULL);
  ADD ("/server/truncated-tls", test_truncated_tls, NULL);
  ADD ("/server/submit", test_submit, NULL);
  ADD ("/server/duplicate", test_duplicate, NULL);
  ADD ("/server/conflict", test_conflict, NULL);
  ADD ("/server/wrong-token", test_wrong_token, NULL);
  ADD ("/server/revoked-token", test_revoked_token, NULL);
  ADD ("/server/directory-changes", test_directory_changes, NULL);
  ADD ("/server/wrong-signer", test_wrong_signer, NULL);
  ADD ("/server/forged-signature", test_forged_signature, NULL);
  ADD ("/server/oversized", test_oversized, NULL);
  ADD ("/server/malformed", test_malformed, NULL);
  ADD ("/server/other-organisation", test_other_organisation, NULL);
  ADD ("/server/pages", test_pages, NULL);
  ADD ("/server/reviews", test_reviews, NULL);
  ADD ("/server/questionnaires", test_questionnaires, NULL);
  ADD ("/server/keys", test_keys, NULL);
  ADD ("/server/rate-limit", test_rate_limit, GINT_TO_POINTER (1));
  ADD ("/server/shutdown", test_shutdown, NULL);
#undef ADD

  return g_test_run ();
}
