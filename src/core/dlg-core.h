/* dlg-core.h - everything the app, the tool and the tests use from the core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dlg-assessment.h"
#include "dlg-builtin.h"
#include "dlg-diagnostic.h"
#include "dlg-evaluation.h"
#include "dlg-file.h"
#include "dlg-json.h"
#include "dlg-level.h"
#include "dlg-metainfo.h"
#include "dlg-questionnaire.h"
#include "dlg-store.h"
#include "dlg-text.h"
