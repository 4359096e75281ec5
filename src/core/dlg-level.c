/* dlg-level.c - the colour-coded risk levels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dlg-level"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dlg-level.h"

static const char * const level_names[] = {
  [DLG_LEVEL_NONE] = "none",
  [DLG_LEVEL_GREY] = "grey",
  [DLG_LEVEL_GREEN] = "green",
  [DLG_LEVEL_AMBER] = "amber",
  [DLG_LEVEL_RED] = "red",
  [DLG_LEVEL_INCOMPLETE] = "incomplete",
};

/**
 * dlg_level_to_string:
 *
 * Returns: the level's name in files and on the command line, e.g. "amber"
 */
const char *
dlg_level_to_string (DlgLevel level)
{
  g_return_val_if_fail (level <= DLG_LEVEL_INCOMPLETE, "none");
  return level_names[level];
}

/**
 * dlg_level_from_string:
 *
 * Parses one of the four levels a questionnaire author may write: green,
 * amber, red or grey. "none" and "incomplete" are results, not levels an
 * option can have, so they are refused.
 */
gboolean
dlg_level_from_string (const char *str,
                       DlgLevel   *level)
{
  for (guint i = DLG_LEVEL_GREY; i <= DLG_LEVEL_RED; i++)
    if (g_strcmp0 (str, level_names[i]) == 0)
      {
        *level = (DlgLevel) i;
        return TRUE;
      }
  return FALSE;
}

gboolean
dlg_level_is_colour (DlgLevel level)
{
  return level == DLG_LEVEL_GREEN || level == DLG_LEVEL_AMBER || level == DLG_LEVEL_RED;
}

/**
 * dlg_level_worst:
 *
 * Combines two levels as "the worst answer" does: red over amber over green
 * over grey over none.
 */
DlgLevel
dlg_level_worst (DlgLevel a,
                 DlgLevel b)
{
  g_return_val_if_fail (a != DLG_LEVEL_INCOMPLETE && b != DLG_LEVEL_INCOMPLETE, DLG_LEVEL_NONE);
  return MAX (a, b);
}

/**
 * dlg_level_get_label:
 *
 * Returns: the translated word shown beside the colour, so that colour is
 *   never the only cue
 */
const char *
dlg_level_get_label (DlgLevel level)
{
  switch (level)
    {
    case DLG_LEVEL_NONE: return C_("level", "Not assessed");
    case DLG_LEVEL_GREY: return C_("level", "Not applicable");
    case DLG_LEVEL_GREEN: return C_("level", "Green");
    case DLG_LEVEL_AMBER: return C_("level", "Amber");
    case DLG_LEVEL_RED: return C_("level", "Red");
    case DLG_LEVEL_INCOMPLETE: return C_("level", "Incomplete");
    default: g_return_val_if_reached (NULL);
    }
}

/**
 * dlg_level_get_description:
 *
 * Returns: what the level means, translated
 */
const char *
dlg_level_get_description (DlgLevel level)
{
  switch (level)
    {
    case DLG_LEVEL_NONE: return _("No answer yet, or not scored");
    case DLG_LEVEL_GREY: return _("Does not apply; not counted");
    case DLG_LEVEL_GREEN: return _("Compliant, low risk");
    case DLG_LEVEL_AMBER: return _("Partly compliant, medium risk");
    case DLG_LEVEL_RED: return _("Non-compliant, high risk");
    case DLG_LEVEL_INCOMPLETE: return _("Required questions are still unanswered");
    default: g_return_val_if_reached (NULL);
    }
}

/**
 * dlg_level_get_icon_name:
 *
 * Returns: a symbolic icon that tells the levels apart without colour
 */
const char *
dlg_level_get_icon_name (DlgLevel level)
{
  switch (level)
    {
    case DLG_LEVEL_NONE: return "radio-symbolic";
    case DLG_LEVEL_GREY: return "action-unavailable-symbolic";
    case DLG_LEVEL_GREEN: return "emblem-ok-symbolic";
    case DLG_LEVEL_AMBER: return "dialog-warning-symbolic";
    case DLG_LEVEL_RED: return "dialog-error-symbolic";
    case DLG_LEVEL_INCOMPLETE: return "content-loading-symbolic";
    default: g_return_val_if_reached (NULL);
    }
}

/**
 * dlg_level_default_points:
 *
 * Returns: the points an option or band of @level gives when its author
 *   did not say
 */
double
dlg_level_default_points (DlgLevel level)
{
  switch (level)
    {
    case DLG_LEVEL_GREEN: return 100;
    case DLG_LEVEL_AMBER: return 50;
    case DLG_LEVEL_NONE:
    case DLG_LEVEL_GREY:
    case DLG_LEVEL_RED:
    case DLG_LEVEL_INCOMPLETE:
    default:
      return 0;
    }
}
