/* dlg-test-proxy.c - a TCP relay that can hold or delay the server's answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sits between the client and the server on 127.0.0.1 and relays bytes,
 * TLS included, without reading them. Holding the server's answers makes a
 * client wait after the server has committed (to kill it right then);
 * delaying them makes a slow server. Both apply only once the client has
 * sent more than a TLS handshake on the connection, so that what is held
 * or delayed is the answer to a request. Plain blocking threads: one
 * accepts, two per connection relay.
 */

#include "config.h"

#include "dlg-test-proxy.h"

struct _DlgTestProxy
{
  GSocket          *listener;
  guint16           port;
  guint16           target_port;
  GThread          *acceptor;

  GMutex            mutex;
  GCond             cond;
  DlgTestProxyMode  mode;
  guint             delay_ms;
  guint             held;          /* answers held since the mode was set */
  gboolean          stopping;
  GPtrArray        *links;         /* Link */
  guint             n_connections;
};

typedef struct
{
  DlgTestProxy *proxy;
  GSocket      *client;
  GSocket      *server;
  GThread      *up;
  GThread      *down;
  gsize         sent_up;       /* atomic */
} Link;

/* More than a TLS handshake sends, less than any request we make. */
#define REQUEST_THRESHOLD 2048

static void
link_close (Link *link)
{
  g_socket_shutdown (link->client, TRUE, TRUE, NULL);
  g_socket_shutdown (link->server, TRUE, TRUE, NULL);
}

static gboolean
send_all (GSocket     *socket,
          const char  *data,
          gssize       length)
{
  while (length > 0)
    {
      gssize n = g_socket_send (socket, data, length, NULL, NULL);

      if (n <= 0)
        return FALSE;
      data += n;
      length -= n;
    }
  return TRUE;
}

static gpointer
relay_up (gpointer data)
{
  Link *link = data;
  char buffer[16384];
  gssize n;

  while ((n = g_socket_receive (link->client, buffer, sizeof buffer, NULL, NULL)) > 0)
    {
      g_atomic_pointer_add (&link->sent_up, n);
      if (!send_all (link->server, buffer, n))
        break;
    }
  link_close (link);
  return NULL;
}

static gpointer
relay_down (gpointer data)
{
  Link *link = data;
  DlgTestProxy *proxy = link->proxy;
  char buffer[16384];
  gssize n;

  while ((n = g_socket_receive (link->server, buffer, sizeof buffer, NULL, NULL)) > 0)
    {
      DlgTestProxyMode mode;
      guint delay;
      gboolean answering = (gsize) g_atomic_pointer_get (&link->sent_up) > REQUEST_THRESHOLD;

      g_mutex_lock (&proxy->mutex);
      if (proxy->mode == DLG_TEST_PROXY_HOLD && answering)
        {
          proxy->held++;
          g_cond_broadcast (&proxy->cond);
          while (proxy->mode == DLG_TEST_PROXY_HOLD && !proxy->stopping)
            g_cond_wait (&proxy->cond, &proxy->mutex);
        }
      mode = proxy->mode;
      delay = proxy->delay_ms;
      g_mutex_unlock (&proxy->mutex);

      if (mode == DLG_TEST_PROXY_DELAY && answering)
        g_usleep (delay * 1000);
      if (!send_all (link->client, buffer, n))
        break;
    }
  link_close (link);
  return NULL;
}

static gpointer
accept_thread (gpointer data)
{
  DlgTestProxy *proxy = data;

  for (;;)
    {
      g_autoptr(GSocket) client = g_socket_accept (proxy->listener, NULL, NULL);
      g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
      g_autoptr(GSocketAddress) target = g_inet_socket_address_new (loopback, proxy->target_port);
      g_autoptr(GSocket) server = NULL;
      Link *link;

      if (client == NULL)
        break;

      server = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
      if (server == NULL || !g_socket_connect (server, target, NULL, NULL))
        {
          /* The server is down: so is the relay. */
          g_socket_close (client, NULL);
          continue;
        }

      link = g_new0 (Link, 1);
      link->proxy = proxy;
      link->client = g_steal_pointer (&client);
      link->server = g_steal_pointer (&server);

      g_mutex_lock (&proxy->mutex);
      if (proxy->stopping)
        {
          g_mutex_unlock (&proxy->mutex);
          link_close (link);
          g_object_unref (link->client);
          g_object_unref (link->server);
          g_free (link);
          break;
        }
      proxy->n_connections++;
      g_ptr_array_add (proxy->links, link);
      link->up = g_thread_new ("proxy-up", relay_up, link);
      link->down = g_thread_new ("proxy-down", relay_down, link);
      g_mutex_unlock (&proxy->mutex);
    }
  return NULL;
}

DlgTestProxy *
dlg_test_proxy_new (guint16 target_port)
{
  DlgTestProxy *proxy = g_new0 (DlgTestProxy, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_mutex_init (&proxy->mutex);
  g_cond_init (&proxy->cond);
  proxy->links = g_ptr_array_new ();
  proxy->target_port = target_port;

  proxy->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (proxy->listener, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (proxy->listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (proxy->listener, &error);
  g_assert_no_error (error);
  proxy->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  proxy->acceptor = g_thread_new ("proxy-accept", accept_thread, proxy);
  return proxy;
}

guint16
dlg_test_proxy_get_port (DlgTestProxy *proxy)
{
  return proxy->port;
}

void
dlg_test_proxy_set_mode (DlgTestProxy     *proxy,
                         DlgTestProxyMode  mode,
                         guint             delay_ms)
{
  g_mutex_lock (&proxy->mutex);
  proxy->mode = mode;
  proxy->delay_ms = delay_ms;
  proxy->held = 0;
  g_cond_broadcast (&proxy->cond);
  g_mutex_unlock (&proxy->mutex);
}

/**
 * dlg_test_proxy_wait_held:
 *
 * Waits until an answer of the server is being held.
 *
 * Returns: %FALSE if none came within @timeout_ms
 */
gboolean
dlg_test_proxy_wait_held (DlgTestProxy *proxy,
                          guint         timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gboolean held;

  g_mutex_lock (&proxy->mutex);
  while (proxy->held == 0 && g_cond_wait_until (&proxy->cond, &proxy->mutex, end))
    ;
  held = proxy->held > 0;
  g_mutex_unlock (&proxy->mutex);
  return held;
}

guint
dlg_test_proxy_get_connections (DlgTestProxy *proxy)
{
  guint n;

  g_mutex_lock (&proxy->mutex);
  n = proxy->n_connections;
  g_mutex_unlock (&proxy->mutex);
  return n;
}

void
dlg_test_proxy_free (DlgTestProxy *proxy)
{
  g_mutex_lock (&proxy->mutex);
  proxy->stopping = TRUE;
  g_cond_broadcast (&proxy->cond);
  for (guint i = 0; i < proxy->links->len; i++)
    link_close (g_ptr_array_index (proxy->links, i));
  g_mutex_unlock (&proxy->mutex);

  /* Wakes the blocking accept(). */
  g_socket_shutdown (proxy->listener, TRUE, TRUE, NULL);
  g_thread_join (proxy->acceptor);
  g_socket_close (proxy->listener, NULL);
  g_object_unref (proxy->listener);

  for (guint i = 0; i < proxy->links->len; i++)
    {
      Link *link = g_ptr_array_index (proxy->links, i);

      g_thread_join (link->up);
      g_thread_join (link->down);
      g_object_unref (link->client);
      g_object_unref (link->server);
      g_free (link);
    }
  g_ptr_array_unref (proxy->links);
  g_mutex_clear (&proxy->mutex);
  g_cond_clear (&proxy->cond);
  g_free (proxy);
}
