/* dlg-level.h - the colour-coded risk levels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * DlgLevel:
 * @DLG_LEVEL_NONE: nothing to say: unanswered, or a question that is not scored
 * @DLG_LEVEL_GREY: not applicable; ignored by every score
 * @DLG_LEVEL_GREEN: compliant, low risk
 * @DLG_LEVEL_AMBER: partly compliant, medium risk
 * @DLG_LEVEL_RED: non-compliant, high risk
 * @DLG_LEVEL_INCOMPLETE: a section or result with required questions unanswered
 *
 * GREEN, AMBER and RED are ordered: a larger value is worse.
 */
typedef enum
{
  DLG_LEVEL_NONE,
  DLG_LEVEL_GREY,
  DLG_LEVEL_GREEN,
  DLG_LEVEL_AMBER,
  DLG_LEVEL_RED,
  DLG_LEVEL_INCOMPLETE,
} DlgLevel;

const char *dlg_level_to_string       (DlgLevel    level);
gboolean    dlg_level_from_string     (const char *str,
                                       DlgLevel   *level);
gboolean    dlg_level_is_colour       (DlgLevel    level);
DlgLevel    dlg_level_worst           (DlgLevel    a,
                                       DlgLevel    b);
const char *dlg_level_get_label       (DlgLevel    level);
const char *dlg_level_get_description (DlgLevel    level);
const char *dlg_level_get_icon_name   (DlgLevel    level);
double      dlg_level_default_points  (DlgLevel    level);

G_END_DECLS
