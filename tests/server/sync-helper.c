/* sync-helper.c - an app's uploader in a process of its own, to be killed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   sync-helper STORE ENDPOINT TOKEN CA_FILE
 *
 * Opens the store, sends everything queued in its outbox and prints
 * "flushed" once nothing is left to send. The test kills it while a
 * report is on its way, then runs it again.
 */

#include "config.h"

#include <stdio.h>

#include "dlg-core.h"

static void
flushed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GMainLoop *loop = user_data;
  g_autoptr(GError) error = NULL;

  if (!dlg_outbox_flush_finish (DLG_OUTBOX (source), result, &error))
    {
      g_printerr ("sync-helper: %s\n", error->message);
      exit (1);
    }
  g_main_loop_quit (loop);
}

static void
state_changed_cb (DlgOutbox     *outbox,
                  DlgOutboxItem *item,
                  gpointer       user_data)
{
  /* One line per change, for the test to follow. */
  printf ("%s %s\n", dlg_outbox_item_get_id (item), dlg_outbox_state_to_string (dlg_outbox_item_get_state (item)));
  fflush (stdout);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgStore) store = NULL;
  g_autoptr(DlgOutbox) outbox = NULL;
  g_autoptr(DlgSyncClient) client = NULL;
  g_autoptr(GTlsDatabase) trust = NULL;
  g_autoptr(GMainLoop) loop = NULL;

  if (argc != 5)
    {
      g_printerr ("usage: sync-helper STORE ENDPOINT TOKEN CA_FILE\n");
      return 2;
    }

  if (!(store = dlg_store_open (argv[1], &error)) ||
      !(outbox = dlg_outbox_new (store, &error)) ||
      !(client = dlg_sync_client_new (argv[2], argv[3], &error)) ||
      !(trust = g_tls_file_database_new (argv[4], &error)))
    {
      g_printerr ("sync-helper: %s\n", error->message);
      return 1;
    }

  dlg_sync_client_set_tls_database (client, trust);
  dlg_outbox_set_retry_delays (outbox, 20, 200);
  g_signal_connect (outbox, "state-changed", G_CALLBACK (state_changed_cb), NULL);

  loop = g_main_loop_new (NULL, FALSE);
  dlg_outbox_set_client (outbox, client);
  dlg_outbox_flush_async (outbox, NULL, flushed_cb, loop);
  g_main_loop_run (loop);

  printf ("flushed\n");
  return 0;
}
