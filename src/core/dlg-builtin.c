/* dlg-builtin.c - the questionnaires that ship with Diligence
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The built-in questionnaires are compiled into the library as a GResource,
 * so the app, the command line and the server agree on their exact bytes
 * (and so on their checksums) without looking for files at run time.
 */

#define G_LOG_DOMAIN "dlg-builtin"

#include "config.h"

#include "dlg-builtin.h"
#include "dlg-questionnaire-resources.h"

#define QUESTIONNAIRE_PATH RESOURCE_BASE "/questionnaires/"

static int
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  /* The sort passes pointers to the array's elements. */
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/**
 * dlg_builtin_load_questionnaires:
 * @error: a #GError
 *
 * Loads every built-in questionnaire, sorted by resource name. A built-in
 * questionnaire that does not load is a bug of ours; it is reported rather
 * than skipped.
 *
 * Returns: (transfer full) (element-type DlgQuestionnaire): the questionnaires
 */
GPtrArray *
dlg_builtin_load_questionnaires (GError **error)
{
  g_autoptr(GPtrArray) ret = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) names = NULL;
  GResource *resource = dlg_questionnaire_get_resource ();

  names = g_resource_enumerate_children (resource, QUESTIONNAIRE_PATH,
                                         G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (names == NULL)
    return g_steal_pointer (&ret);

  g_qsort_with_data (names, g_strv_length (names), sizeof (char *), compare_names, NULL);
  for (guint i = 0; names[i]; i++)
    {
      g_autofree char *path = g_strconcat (QUESTIONNAIRE_PATH, names[i], NULL);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) local_error = NULL;
      DlgQuestionnaire *q;

      if (!g_str_has_suffix (names[i], ".json"))
        continue;

      bytes = g_resource_lookup_data (resource, path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
      if (bytes == NULL)
        return NULL;

      q = dlg_questionnaire_new_from_bytes (bytes, NULL, &local_error);
      if (q == NULL)
        {
          g_set_error (error, local_error->domain, local_error->code,
                       "Built-in questionnaire %s: %s", names[i], local_error->message);
          return NULL;
        }
      g_ptr_array_add (ret, q);
    }

  return g_steal_pointer (&ret);
}
