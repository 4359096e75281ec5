/* dlg-core.h - everything the app, the tool and the tests use from the core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dlg-action-plan.h"
#include "dlg-action-plan-csv.h"
#include "dlg-assessment.h"
#include "dlg-base64url.h"
#include "dlg-builtin.h"
#include "dlg-csv.h"
#include "dlg-diagnostic.h"
#include "dlg-evaluation.h"
#include "dlg-file.h"
#include "dlg-inbox.h"
#include "dlg-json.h"
#include "dlg-jws.h"
#include "dlg-key.h"
#include "dlg-keyring.h"
#include "dlg-level.h"
#include "dlg-metainfo.h"
#include "dlg-outbox.h"
#include "dlg-questionnaire.h"
#include "dlg-report.h"
#include "dlg-report-export.h"
#include "dlg-review.h"
#include "dlg-signed-document.h"
#include "dlg-store.h"
#include "dlg-store-sync.h"
#include "dlg-store-backup.h"
#include "dlg-sync-client.h"
#include "dlg-sync-token.h"
#include "dlg-text.h"
#include "dlg-trust-store.h"
