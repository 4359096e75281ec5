/* dlg-test-proxy.h - a TCP relay that can hold or delay the server's answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  DLG_TEST_PROXY_PASS,    /* relay both ways */
  DLG_TEST_PROXY_HOLD,    /* relay requests; keep answers until the mode changes */
  DLG_TEST_PROXY_DELAY,   /* relay answers after a delay */
} DlgTestProxyMode;

typedef struct _DlgTestProxy DlgTestProxy;

DlgTestProxy *dlg_test_proxy_new        (guint16           target_port);
guint16       dlg_test_proxy_get_port   (DlgTestProxy     *proxy);
void          dlg_test_proxy_set_mode   (DlgTestProxy     *proxy,
                                         DlgTestProxyMode  mode,
                                         guint             delay_ms);
gboolean      dlg_test_proxy_wait_held  (DlgTestProxy     *proxy,
                                         guint             timeout_ms);
guint         dlg_test_proxy_get_connections (DlgTestProxy *proxy);
void          dlg_test_proxy_free       (DlgTestProxy     *proxy);

G_END_DECLS
