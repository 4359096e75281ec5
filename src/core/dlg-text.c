/* dlg-text.c - a human-readable string in several languages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A questionnaire holds thousands of these, mostly with four languages, so
 * they are a small array rather than a hash table; language codes are
 * interned and shared.
 */

#define G_LOG_DOMAIN "dlg-text"

#include "config.h"

#include <string.h>

#include "dlg-text.h"

typedef struct
{
  const char *language; /* interned */
  char       *value;
} Entry;

struct _DlgText
{
  /* entries[0] is always the default language. */
  GArray *entries;
};

DlgText *
dlg_text_new (const char *default_language,
              const char *value)
{
  DlgText *text = g_new0 (DlgText, 1);
  Entry e = { g_intern_string (default_language), g_strdup (value) };

  text->entries = g_array_sized_new (FALSE, FALSE, sizeof (Entry), 4);
  g_array_append_val (text->entries, e);
  return text;
}

/**
 * dlg_text_add:
 *
 * Adds or replaces the string for @language.
 */
void
dlg_text_add (DlgText    *text,
              const char *language,
              const char *value)
{
  const char *interned = g_intern_string (language);
  Entry e;

  for (guint i = 0; i < text->entries->len; i++)
    {
      Entry *old = &g_array_index (text->entries, Entry, i);

      if (old->language == interned)
        {
          g_free (old->value);
          old->value = g_strdup (value);
          return;
        }
    }

  e.language = interned;
  e.value = g_strdup (value);
  g_array_append_val (text->entries, e);
}

void
dlg_text_free (DlgText *text)
{
  if (text == NULL)
    return;

  for (guint i = 0; i < text->entries->len; i++)
    g_free (g_array_index (text->entries, Entry, i).value);
  g_array_unref (text->entries);
  g_free (text);
}

/**
 * dlg_text_get_exact:
 *
 * Returns: (nullable): the string in exactly @language, or %NULL
 */
const char *
dlg_text_get_exact (const DlgText *text,
                    const char    *language)
{
  if (text == NULL || language == NULL)
    return NULL;

  for (guint i = 0; i < text->entries->len; i++)
    {
      const Entry *e = &g_array_index (text->entries, Entry, i);

      if (strcmp (e->language, language) == 0)
        return e->value;
    }

  return NULL;
}

/**
 * dlg_text_get:
 * @text: (nullable): a text
 * @language: (nullable): a language code such as "fr" or "fr-BE"
 *
 * Looks up @language, then its primary subtag ("fr" for "fr-BE"), then
 * falls back to the default language.
 *
 * Returns: (nullable): the string, or %NULL if @text is %NULL
 */
const char *
dlg_text_get (const DlgText *text,
              const char    *language)
{
  const char *ret;

  if (text == NULL)
    return NULL;

  if ((ret = dlg_text_get_exact (text, language)))
    return ret;

  if (language != NULL)
    {
      const char *dash = strchr (language, '-');

      if (dash == NULL)
        dash = strchr (language, '_');
      if (dash != NULL)
        {
          g_autofree char *primary = g_strndup (language, dash - language);

          if ((ret = dlg_text_get_exact (text, primary)))
            return ret;
        }
    }

  return dlg_text_get_default (text);
}

const char *
dlg_text_get_default (const DlgText *text)
{
  if (text == NULL)
    return NULL;
  return g_array_index (text->entries, Entry, 0).value;
}

guint
dlg_text_get_n_languages (const DlgText *text)
{
  return text ? text->entries->len : 0;
}

const char *
dlg_text_get_language (const DlgText *text,
                       guint          index)
{
  g_return_val_if_fail (text != NULL && index < text->entries->len, NULL);
  return g_array_index (text->entries, Entry, index).language;
}

/**
 * dlg_language_pick:
 * @available: (nullable): languages a document provides, %NULL-terminated
 *
 * Picks the language to show a document in, following the user's locale
 * settings ($LANGUAGE, $LC_ALL, $LC_MESSAGES, $LANG) in order of
 * preference.
 *
 * Returns: (nullable): an interned language code from @available, or
 *   %NULL if none of them is wanted (the caller then uses the default)
 */
const char *
dlg_language_pick (const char * const *available)
{
  const char * const *wanted = g_get_language_names ();

  if (available == NULL)
    return NULL;

  for (guint i = 0; wanted[i]; i++)
    {
      /* Locale names look like "fr_BE.UTF-8"; documents use "fr" or "fr-BE". */
      g_autofree char *tag = g_strdup (wanted[i]);
      char *cut;

      if ((cut = strpbrk (tag, ".@")))
        *cut = '\0';
      g_strdelimit (tag, "_", '-');

      for (guint j = 0; available[j]; j++)
        if (g_ascii_strcasecmp (available[j], tag) == 0)
          return g_intern_string (available[j]);

      if ((cut = strchr (tag, '-')))
        {
          *cut = '\0';
          for (guint j = 0; available[j]; j++)
            if (g_ascii_strcasecmp (available[j], tag) == 0)
              return g_intern_string (available[j]);
        }
    }

  return NULL;
}
