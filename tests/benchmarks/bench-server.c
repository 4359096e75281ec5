/* bench-server.c - how many signed reports the server ingests durably
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Measures, in one run on the same machine:
 *
 *  - raw Ed25519 verification of a signed 20 KB report, one thread and
 *    two (the baseline for what verification alone allows);
 *  - durable inserts into the server's storage, one commit per report and
 *    grouped commits (the baseline for what the disk allows; the storage
 *    syncs its log behind the commits, one sync covering all those before
 *    it, and answers none before that sync);
 *  - ingestion: 8 keep-alive clients over loopback TLS send signed 20 KB
 *    reports to a real server, each report acknowledged (201) only once it
 *    is committed and the log synced after the commit;
 *  - the app's outbox sending 1,000 queued reports.
 *
 * The server runs in its own thread, the clients in theirs, all in this
 * process: the machine's cores are shared as they would be on one host.
 * Nothing here asserts a time. DLG_BENCH_REPORTS sets how many reports
 * are ingested; DLG_BENCH_INGEST_ONLY skips everything but ingestion, for
 * running under a profiler.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "dlg-core.h"
#include "dlg-test-server.h"

#define N_CLIENTS 8
#define N_SUPPLIERS N_CLIENTS
#define REPORT_PAYLOAD 15000   /* base64url makes the JWS about 20 KB */
#define BUYER "BE0999999999"

static guint n_reports = 12000;
static double clients_cpu;   /* of the ingestion clients, seconds */
static double ingest_log_bytes;     /* appended to the log per ingested report */
static double ingest_commit_usec;   /* per commit: writing the log and syncing it */
static guint64 ingest_commits;
static guint64 ingest_syncs;
static guint n_outbox = 1000;
static gboolean ingest_only;   /* DLG_BENCH_INGEST_ONLY: skip the baselines and the outbox */

static double
thread_cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
now_seconds (void)
{
  return g_get_monotonic_time () / (double) G_USEC_PER_SEC;
}

/* CPU time used by this whole process (server, clients, storage), in
 * seconds: unlike the wall clock, other programs on the machine hardly
 * change it. */
static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}


/* CPU seconds of each thread, by name, from /proc: where the time goes. */
static GHashTable *
thread_cpu (void)
{
  GHashTable *by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  double tick = sysconf (_SC_CLK_TCK);
  const char *tid;

  while (dir && (tid = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename ("/proc/self/task", tid, "stat", NULL);
      g_autofree char *stat = NULL;
      g_auto(GStrv) fields = NULL;
      char *open, *close;
      double *total;

      if (!g_file_get_contents (path, &stat, NULL, NULL) ||
          !(open = strchr (stat, '(')) || !(close = strrchr (stat, ')')))
        continue;
      *close = '\0';
      fields = g_strsplit (close + 2, " ", 0);
      if (g_strv_length (fields) < 13)
        continue;
      /* Workers of GLib's pool are all "pool-…"; group them. */
      if (g_str_has_prefix (open + 1, "pool"))
        open = (char *) "(workers";
      total = g_hash_table_lookup (by_name, open + 1);
      if (total == NULL)
        {
          total = g_new0 (double, 1);
          g_hash_table_insert (by_name, g_strdup (open + 1), total);
        }
      *total += (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) / tick;
    }
  return by_name;
}

static void
print_thread_cpu (GHashTable *before,
                  GHashTable *after,
                  guint       reports)
{
  GHashTableIter iter;
  gpointer name, value;

  printf ("# CPU per ingested report, by thread: clients %.0f µs;", clients_cpu * 1e6 / reports);
  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &name, &value))
    {
      double *was = g_hash_table_lookup (before, name);
      double used = *(double *) value - (was ? *was : 0);

      if (used * 1e6 / reports >= 5)
        printf (" %s %.0f µs;", (char *) name, used * 1e6 / reports);
    }
  printf ("\n");
}

/* ------------------------------------------------------------------------ */
/* Signed reports                                                           */
/* ------------------------------------------------------------------------ */

typedef struct
{
  char *id;
  char *jws;
  gsize length;
} Signed;

static void
signed_clear (Signed *s)
{
  g_free (s->id);
  g_free (s->jws);
}

static GArray *
sign_reports (DlgTestOrganisation *org,
              guint                n)
{
  const char *recipients[] = { BUYER, NULL };
  g_autofree char *template_id = dlg_test_uuid ();
  g_autofree char *payload = dlg_test_report_payload (template_id, org->id, recipients, REPORT_PAYLOAD);
  char *id_in_payload = strstr (payload, template_id);
  GArray *reports = g_array_sized_new (FALSE, TRUE, sizeof (Signed), n);

  g_array_set_clear_func (reports, (GDestroyNotify) signed_clear);
  for (guint i = 0; i < n; i++)
    {
      Signed s;

      s.id = dlg_test_uuid ();
      memcpy (id_in_payload, s.id, strlen (s.id));
      s.jws = dlg_test_sign (org->key, DLG_JWS_TYP_REPORT, payload);
      s.length = strlen (s.jws);
      g_array_append_val (reports, s);
    }
  return reports;
}

/* ------------------------------------------------------------------------ */
/* Raw verification                                                         */
/* ------------------------------------------------------------------------ */

typedef struct
{
  DlgJws *jws;
  DlgKey *key;
  guint   n;
} VerifyJob;

static gpointer
verify_thread (gpointer data)
{
  VerifyJob *job = data;

  for (guint i = 0; i < job->n; i++)
    if (!dlg_jws_verify (job->jws, job->key, NULL))
      g_error ("a good signature did not verify");
  return NULL;
}

static double
verify_rate (DlgJws  *jws,
             DlgKey  *key,
             guint    threads,
             guint    n)
{
  GThread *t[4];
  VerifyJob job = { jws, key, n };
  double start = now_seconds ();

  for (guint i = 0; i < threads; i++)
    t[i] = g_thread_new ("verify", verify_thread, &job);
  for (guint i = 0; i < threads; i++)
    g_thread_join (t[i]);
  return threads * n / (now_seconds () - start);
}

/* ------------------------------------------------------------------------ */
/* Durable inserts, straight into the storage                               */
/* ------------------------------------------------------------------------ */

typedef struct
{
  DlgServerStorage *storage;
  GArray           *reports;
  guint             next;
  guint             done;
  guint             in_flight;
  GMainLoop        *loop;
  const char       *sender;
} InsertRun;

static void insert_next (InsertRun *run);

static void
inserted_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  InsertRun *run = user_data;
  g_autoptr(GError) error = NULL;

  if (dlg_server_storage_submit_finish (DLG_SERVER_STORAGE (source), result, NULL, &error) != DLG_SERVER_SUBMIT_CREATED)
    g_error ("insert failed: %s", error ? error->message : "not created");
  run->done++;
  run->in_flight--;
  insert_next (run);
  if (run->done == run->reports->len)
    g_main_loop_quit (run->loop);
}

static void
insert_next (InsertRun *run)
{
  Signed *s;
  g_autoptr(GBytes) bytes = NULL;
  char *recipients[] = { (char *) BUYER, NULL };
  DlgServerDocument doc = { 0 };

  if (run->next >= run->reports->len)
    return;
  s = &g_array_index (run->reports, Signed, run->next++);
  bytes = g_bytes_new_static (s->jws, s->length);
  doc.kind = DLG_SERVER_DOCUMENT_REPORT;
  doc.id = s->id;
  doc.sender_id = (char *) run->sender;
  doc.recipients = recipients;
  doc.sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) s->jws, s->length);
  doc.bytes = bytes;
  run->in_flight++;
  dlg_server_storage_submit_async (run->storage, &doc, NULL, inserted_cb, run);
  g_free (doc.sha256);
}

/* Inserts @reports with @concurrency writes waiting at a time. */
static double
insert_rate (const char *dir,
             const char *name,
             GArray     *reports,
             guint       max_batch,
             guint       concurrency,
             double     *rows_per_commit,
             double     *rows_per_sync)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgServerStorage) storage = dlg_server_storage_sqlite_open (path, &error);
  DlgServerOrganisation org = { (char *) "BE0888888888", (char *) "Sender", DLG_SERVER_ROLE_SUPPLIER, 0 };
  DlgServerOrganisation buyer = { (char *) BUYER, (char *) "Buyer", DLG_SERVER_ROLE_BUYER, 0 };
  InsertRun run = { storage, reports, 0, 0, 0, g_main_loop_new (NULL, FALSE), org.id };
  guint64 commits_before, syncs_before;
  double start, elapsed;

  g_assert_no_error (error);
  dlg_server_storage_add_organisation (storage, &org, &error);
  g_assert_no_error (error);
  dlg_server_storage_add_organisation (storage, &buyer, &error);
  g_assert_no_error (error);
  dlg_server_storage_sqlite_set_max_batch (DLG_SERVER_STORAGE_SQLITE (storage), max_batch);

  commits_before = dlg_server_storage_sqlite_get_commits (DLG_SERVER_STORAGE_SQLITE (storage));
  syncs_before = dlg_server_storage_sqlite_get_syncs (DLG_SERVER_STORAGE_SQLITE (storage));
  start = now_seconds ();
  for (guint i = 0; i < concurrency; i++)
    insert_next (&run);
  g_main_loop_run (run.loop);
  elapsed = now_seconds () - start;

  *rows_per_commit = reports->len / (double) MAX (dlg_server_storage_sqlite_get_commits (DLG_SERVER_STORAGE_SQLITE (storage)) - commits_before, 1);
  *rows_per_sync = reports->len / (double) MAX (dlg_server_storage_sqlite_get_syncs (DLG_SERVER_STORAGE_SQLITE (storage)) - syncs_before, 1);
  dlg_server_storage_close (storage);
  g_main_loop_unref (run.loop);
  return reports->len / elapsed;
}

/* ------------------------------------------------------------------------ */
/* Ingestion over TLS                                                       */
/* ------------------------------------------------------------------------ */

typedef struct
{
  DlgTestServer *ts;
  const char    *token;
  GArray        *reports;
  guint          acknowledged;
  GMutex        *mutex;
  GCond         *cond;
  gboolean      *go;
  double         cpu;      /* seconds this client thread used */
} Client;

static gboolean
read_response (GDataInputStream *in,
               guint            *status)
{
  g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, NULL);
  gsize length = 0;
  g_autofree char *body = NULL;

  if (line == NULL || sscanf (line, "HTTP/1.1 %u", status) != 1)
    return FALSE;
  for (;;)
    {
      g_autofree char *header = g_data_input_stream_read_line (in, NULL, NULL, NULL);

      if (header == NULL)
        return FALSE;
      if (*header == '\0')
        break;
      if (g_ascii_strncasecmp (header, "Content-Length:", 15) == 0)
        length = g_ascii_strtoull (header + 15, NULL, 10);
    }
  body = g_malloc (length + 1);
  return g_input_stream_read_all (G_INPUT_STREAM (in), body, length, NULL, NULL, NULL);
}

/* One keep-alive connection; a request waits for the answer before the
 * next, as an uploader does. */
static gpointer
client_thread (gpointer data)
{
  Client *c = data;
  g_autoptr(GSocketClient) sockets = g_socket_client_new ();
  g_autoptr(GSocketConnection) tcp = NULL;
  g_autoptr(GSocketConnectable) identity = g_network_address_new ("127.0.0.1", c->ts->port);
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  GOutputStream *out;
  double cpu_start;

  g_socket_client_set_enable_proxy (sockets, FALSE);
  tcp = g_socket_client_connect_to_host (sockets, "127.0.0.1", c->ts->port, NULL, &error);
  g_assert_no_error (error);
  /* As libsoup does: without it, the last segment of a request waits for
   * the server's delayed acknowledgement (Nagle), some 40 ms. */
  g_socket_set_option (g_socket_connection_get_socket (tcp), IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  tls = g_tls_client_connection_new (G_IO_STREAM (tcp), identity, &error);
  g_assert_no_error (error);
  g_tls_connection_set_database (G_TLS_CONNECTION (tls), c->ts->trust);
  g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, &error);
  g_assert_no_error (error);

  in = g_data_input_stream_new (g_io_stream_get_input_stream (tls));
  g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
  g_buffered_input_stream_set_buffer_size (G_BUFFERED_INPUT_STREAM (in), 16384);
  out = g_io_stream_get_output_stream (tls);

  g_mutex_lock (c->mutex);
  while (!*c->go)
    g_cond_wait (c->cond, c->mutex);
  g_mutex_unlock (c->mutex);

  /* The handshake above is not counted: it happens once a connection. */
  cpu_start = thread_cpu_seconds ();

  for (guint i = 0; i < c->reports->len; i++)
    {
      Signed *s = &g_array_index (c->reports, Signed, i);
      g_autofree char *head = g_strdup_printf ("POST /api/v1/reports HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
                                               "Authorization: Bearer %s\r\nContent-Type: application/jose\r\n"
                                               "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n",
                                               c->ts->port, c->token, s->length);
      guint status = 0;

      g_autoptr(GString) request = g_string_sized_new (strlen (head) + s->length);

      /* One write, so one run of TLS records. */
      g_string_append (request, head);
      g_string_append_len (request, s->jws, s->length);
      if (!g_output_stream_write_all (out, request->str, request->len, NULL, NULL, &error))
        g_error ("sending failed: %s", error->message);
      if (!read_response (in, &status))
        g_error ("no answer from the server");
      if (status != 201)
        g_error ("the server answered %u", status);
      c->acknowledged++;
    }

  c->cpu = thread_cpu_seconds () - cpu_start;
  g_io_stream_close (tls, NULL, NULL);
  return NULL;
}

static double
ingest_rate (DlgTestServer        *ts,
             DlgTestOrganisation **suppliers,
             GArray              **reports,
             guint                *acknowledged,
             double               *rows_per_commit,
             double               *cpu_per_report)
{
  double cpu_start;
  GThread *threads[N_CLIENTS];
  Client clients[N_CLIENTS];
  GMutex mutex;
  GCond cond;
  gboolean go = FALSE;
  guint64 commits_before, syncs_before, log_bytes_before, log_bytes_after;
  gint64 commit_usec_before, commit_usec_after;
  double start, elapsed;

  g_mutex_init (&mutex);
  g_cond_init (&cond);
  for (guint i = 0; i < N_CLIENTS; i++)
    {
      clients[i] = (Client) { ts, suppliers[i]->token, reports[i], 0, &mutex, &cond, &go, 0 };
      threads[i] = g_thread_new ("client", client_thread, &clients[i]);
    }

  /* Everyone connected and shook hands; now, all at once. */
  g_usleep (500 * 1000);
  commits_before = dlg_server_storage_sqlite_get_commits (DLG_SERVER_STORAGE_SQLITE (ts->storage));
  syncs_before = dlg_server_storage_sqlite_get_syncs (DLG_SERVER_STORAGE_SQLITE (ts->storage));
  dlg_server_storage_sqlite_get_log_stats (DLG_SERVER_STORAGE_SQLITE (ts->storage), &log_bytes_before,
                                           &commit_usec_before);
  start = now_seconds ();
  cpu_start = cpu_seconds ();
  g_mutex_lock (&mutex);
  go = TRUE;
  g_cond_broadcast (&cond);
  g_mutex_unlock (&mutex);

  *acknowledged = 0;
  clients_cpu = 0;
  for (guint i = 0; i < N_CLIENTS; i++)
    {
      g_thread_join (threads[i]);
      *acknowledged += clients[i].acknowledged;
      clients_cpu += clients[i].cpu;
    }
  elapsed = now_seconds () - start;
  *cpu_per_report = (cpu_seconds () - cpu_start) / MAX (*acknowledged, 1);
  ingest_commits = dlg_server_storage_sqlite_get_commits (DLG_SERVER_STORAGE_SQLITE (ts->storage)) - commits_before;
  *rows_per_commit = *acknowledged / (double) MAX (ingest_commits, 1);
  ingest_syncs = dlg_server_storage_sqlite_get_syncs (DLG_SERVER_STORAGE_SQLITE (ts->storage)) - syncs_before;
  dlg_server_storage_sqlite_get_log_stats (DLG_SERVER_STORAGE_SQLITE (ts->storage), &log_bytes_after,
                                           &commit_usec_after);
  ingest_log_bytes = (log_bytes_after - log_bytes_before) / (double) MAX (*acknowledged, 1);
  ingest_commit_usec = (commit_usec_after - commit_usec_before) / (double) MAX (ingest_commits, 1);

  g_mutex_clear (&mutex);
  g_cond_clear (&cond);
  return *acknowledged / elapsed;
}

/* What ingestion cost: its commits, and the processor time per report.
 * @verify_cpu is one verification's, or 0 when it was not measured. */
static void
print_ingest_cpu (GHashTable *threads_before,
                  GHashTable *threads_after,
                  guint       acknowledged,
                  double      ingest_cpu,
                  gsize       jws_size,
                  double      verify_cpu)
{
  double server_cpu = ingest_cpu - clients_cpu / MAX (acknowledged, 1);
  guint cores = g_get_num_processors ();

  printf ("# ingestion's commits: %" G_GUINT64_FORMAT " commits of %.2f ms each (in COMMIT), "
          "%" G_GUINT64_FORMAT " syncs of the log (%.1f reports each); "
          "%.1f KB appended to the log per report (the report %.1f KB)\n",
          ingest_commits, ingest_commit_usec / 1e3, ingest_syncs,
          acknowledged / (double) MAX (ingest_syncs, 1), ingest_log_bytes / 1000, jws_size / 1000.0);
  print_thread_cpu (threads_before, threads_after, acknowledged);

  /* What the server spends per report, whatever else runs on the
   * machine: the clients would be elsewhere in real life. */
  printf ("CPU per ingested report, server (HTTP, TLS, verification, storage)  %6.3f ms  ", server_cpu * 1e3);
  if (verify_cpu > 0)
    printf ("(%.1f× one verification; ", server_cpu / verify_cpu);
  else
    printf ("(");
  printf ("at most %.0f /s on %u cores)\n", cores / server_cpu, cores);
  printf ("CPU per ingested report, the 8 clients                               %6.3f ms  "
          "(%.0f %% of the whole run's)\n",
          clients_cpu / MAX (acknowledged, 1) * 1e3, 100 * clients_cpu / MAX (acknowledged, 1) / ingest_cpu);
  printf ("CPU per report: ");
  if (verify_cpu > 0)
    printf ("one Ed25519 verification %.0f µs; ", verify_cpu * 1e6);
  printf ("ingestion, all threads %.0f µs, i.e. at most %.0f /s on %u cores\n",
          ingest_cpu * 1e6, cores / ingest_cpu, cores);
}

/* ------------------------------------------------------------------------ */
/* The app's outbox                                                         */
/* ------------------------------------------------------------------------ */

static void
flushed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!dlg_outbox_flush_finish (DLG_OUTBOX (source), result, &error))
    g_error ("flush failed: %s", error->message);
  g_main_loop_quit (user_data);
}

static double
outbox_flush (DlgTestServer       *ts,
              DlgTestOrganisation *supplier,
              GArray              *reports,
              const char          *dir)
{
  g_autofree char *path = g_build_filename (dir, "app", "diligence.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgStore) store = dlg_store_open (path, &error);
  g_autoptr(DlgOutbox) outbox = NULL;
  g_autoptr(DlgSyncClient) client = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  double start;

  g_assert_no_error (error);
  outbox = dlg_outbox_new (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < reports->len; i++)
    {
      Signed *s = &g_array_index (reports, Signed, i);
      g_autoptr(GBytes) bytes = g_bytes_new_static (s->jws, s->length);

      if (!dlg_outbox_enqueue (outbox, DLG_SIGNED_REPORT, s->id, NULL, NULL, bytes, &error))
        g_error ("enqueue failed: %s", error->message);
    }

  client = dlg_sync_client_new (ts->url, supplier->token, &error);
  g_assert_no_error (error);
  dlg_sync_client_set_tls_database (client, ts->trust);

  start = now_seconds ();
  dlg_outbox_set_client (outbox, client);
  dlg_outbox_flush_async (outbox, NULL, flushed_cb, loop);
  g_main_loop_run (loop);
  if (dlg_outbox_get_n_pending (outbox) != 0)
    g_error ("the outbox is not empty");
  return now_seconds () - start;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dlg-bench-server-XXXXXX", &error);
  DlgTestServer *ts;
  DlgTestOrganisation *suppliers[N_SUPPLIERS];
  g_autoptr(DlgTestOrganisation) buyer = NULL;
  GArray *reports[N_SUPPLIERS];
  g_autoptr(GArray) inserts_single = NULL, inserts_group = NULL, outbox_reports = NULL;
  g_autoptr(DlgJws) jws = NULL;
  g_autoptr(GHashTable) threads_before = NULL, threads_after = NULL;
  double verify1, verify2, single, group, group_deep, ingest, flush_seconds, ingest_cpu, verify_cpu;
  double rows_single, rows_group, rows_group_deep, rows_ingest;
  double sync_single, sync_group, sync_group_deep;
  guint acknowledged;
  gsize jws_size;

  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("DLG_BENCH_REPORTS"))
    n_reports = MAX (atoi (g_getenv ("DLG_BENCH_REPORTS")), N_CLIENTS);
  ingest_only = g_getenv ("DLG_BENCH_INGEST_ONLY") != NULL;
  g_assert_no_error (error);

  ts = dlg_test_server_new ();
  dlg_test_server_start (ts);
  buyer = dlg_test_server_add_organisation (ts, BUYER, DLG_SERVER_ROLE_BUYER);
  for (guint i = 0; i < N_SUPPLIERS; i++)
    {
      g_autofree char *id = g_strdup_printf ("BE%010u", 1000 + i);
      suppliers[i] = dlg_test_server_add_organisation (ts, id, DLG_SERVER_ROLE_SUPPLIER);
    }

  printf ("# signing %u reports of %u KB payload…\n", n_reports + (ingest_only ? 0 : 3000 + n_outbox),
          REPORT_PAYLOAD / 1000);
  fflush (stdout);
  for (guint i = 0; i < N_SUPPLIERS; i++)
    reports[i] = sign_reports (suppliers[i], n_reports / N_CLIENTS);
  jws_size = g_array_index (reports[0], Signed, 0).length;
  if (ingest_only)
    {
      /* For profilers (callgrind, perf): only what the server does. */
      threads_before = thread_cpu ();
      ingest = ingest_rate (ts, suppliers, reports, &acknowledged, &rows_ingest, &ingest_cpu);
      threads_after = thread_cpu ();
      printf ("ingested over TLS, %u keep-alive clients, %u reports    %8.0f /s  (%.1f rows/commit)\n",
              N_CLIENTS, acknowledged, ingest, rows_ingest);
      print_ingest_cpu (threads_before, threads_after, acknowledged, ingest_cpu, jws_size, 0);
      goto out;
    }
  inserts_single = sign_reports (suppliers[0], 1000);
  inserts_group = sign_reports (suppliers[0], 2000);
  outbox_reports = sign_reports (suppliers[0], n_outbox);

  /* Raw verification of one of these reports. */
  jws = dlg_jws_parse (g_array_index (reports[0], Signed, 0).jws, jws_size, &error);
  g_assert_no_error (error);
  {
    double cpu_start = cpu_seconds ();

    verify1 = verify_rate (jws, suppliers[0]->key, 1, 3000);
    verify_cpu = (cpu_seconds () - cpu_start) / 3000;
  }
  verify2 = verify_rate (jws, suppliers[0]->key, 2, 3000);

  /* Durable inserts: one commit each, then grouped (8 and 64 waiting). */
  single = insert_rate (dir, "single.sqlite", inserts_single, 1, N_CLIENTS, &rows_single, &sync_single);
  group = insert_rate (dir, "group.sqlite", inserts_group, 256, N_CLIENTS, &rows_group, &sync_group);
  {
    g_autoptr(GArray) more = sign_reports (suppliers[1], 3000);
    group_deep = insert_rate (dir, "group-deep.sqlite", more, 256, 64, &rows_group_deep, &sync_group_deep);
  }

  /* Ingestion through the whole server. */
  threads_before = thread_cpu ();
  ingest = ingest_rate (ts, suppliers, reports, &acknowledged, &rows_ingest, &ingest_cpu);
  threads_after = thread_cpu ();

  /* The app's outbox, one report at a time, in order. */
  flush_seconds = outbox_flush (ts, suppliers[0], outbox_reports, dir);

  printf ("# %u-core machine; signed reports of %.1f KB (compact JWS); SQLite WAL, the log synced before any answer\n",
          g_get_num_processors (), jws_size / 1000.0);
  printf ("baseline: Ed25519 verification of one report, 1 thread   %8.0f /s\n", verify1);
  printf ("baseline: Ed25519 verification of one report, 2 threads  %8.0f /s\n", verify2);
  printf ("baseline: durable inserts, one commit per report        %8.0f /s  (%.1f rows/commit)\n",
          single, rows_single);
  printf ("durable inserts, group commit, 8 waiting                %8.0f /s  (%.1f rows/commit)  %5.2f× single\n",
          group, rows_group, group / single);
  printf ("durable inserts, group commit, 64 waiting               %8.0f /s  (%.1f rows/commit)  %5.2f× single\n",
          group_deep, rows_group_deep, group_deep / single);
  printf ("ingested over TLS, %u keep-alive clients, %u reports    %8.0f /s  (%.1f rows/commit)  "
          "%5.2f× single commits  %4.2f of 2-thread verification\n",
          N_CLIENTS, acknowledged, ingest, rows_ingest, ingest / single, ingest / verify2);
  printf ("# durable inserts: one sync of the log for %.1f / %.1f / %.1f rows (one commit each / 8 / 64 waiting)\n",
          sync_single, sync_group, sync_group_deep);
  printf ("outbox: %u queued reports sent in order                 %8.2f s   (%.0f /s)\n",
          n_outbox, flush_seconds, n_outbox / flush_seconds);
  print_ingest_cpu (threads_before, threads_after, acknowledged, ingest_cpu, jws_size, verify_cpu);

out:
  for (guint i = 0; i < N_SUPPLIERS; i++)
    {
      g_array_unref (reports[i]);
      dlg_test_organisation_free (suppliers[i]);
    }
  dlg_test_server_free (ts);
  dlg_test_remove_tree (dir);
  return 0;
}
