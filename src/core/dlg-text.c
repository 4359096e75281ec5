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
  const char *value;
} Entry;

struct _DlgText
{
  /* entries[0] is always the default language. */
  Entry      *entries;
  guint       n_entries;
  /* Borrowed texts live in a document's arena, strings included, and are
   * freed with it: a large questionnaire then costs no allocation per text. */
  gboolean    borrowed;
};

DlgText *
dlg_text_new (const char *default_language,
              const char *value)
{
  DlgText *text = g_new0 (DlgText, 1);

  text->entries = g_new (Entry, 1);
  text->entries[0].language = g_intern_string (default_language);
  text->entries[0].value = g_strdup (value);
  text->n_entries = 1;
  return text;
}

/**
 * dlg_text_new_borrowed:
 * @doc: the document whose arena holds the text and its strings
 * @n: the number of languages
 * @languages: interned language codes, the default first
 * @values: the strings, which must live as long as @doc
 *
 * Returns: (transfer none): a text that lives as long as @doc; never free it
 */
DlgText *
dlg_text_new_borrowed (DlgJsonDoc         *doc,
                       guint               n,
                       const char * const *languages,
                       const char * const *values)
{
  DlgText *text = dlg_json_doc_alloc (doc, sizeof (DlgText));

  text->entries = dlg_json_doc_alloc (doc, MAX (n, 1) * sizeof (Entry));
  text->n_entries = n;
  text->borrowed = TRUE;
  for (guint i = 0; i < n; i++)
    {
      text->entries[i].language = languages[i];
      text->entries[i].value = values[i];
    }
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

  g_return_if_fail (!text->borrowed);

  for (guint i = 0; i < text->n_entries; i++)
    if (text->entries[i].language == interned)
      {
        g_free ((char *) text->entries[i].value);
        text->entries[i].value = g_strdup (value);
        return;
      }

  text->entries = g_renew (Entry, text->entries, text->n_entries + 1);
  text->entries[text->n_entries].language = interned;
  text->entries[text->n_entries].value = g_strdup (value);
  text->n_entries++;
}

void
dlg_text_free (DlgText *text)
{
  if (text == NULL || text->borrowed)
    return;

  for (guint i = 0; i < text->n_entries; i++)
    g_free ((char *) text->entries[i].value);
  g_free (text->entries);
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

  for (guint i = 0; i < text->n_entries; i++)
    if (strcmp (text->entries[i].language, language) == 0)
      return text->entries[i].value;

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
  return text->entries[0].value;
}

guint
dlg_text_get_n_languages (const DlgText *text)
{
  return text ? text->n_entries : 0;
}

const char *
dlg_text_get_language (const DlgText *text,
                       guint          index)
{
  g_return_val_if_fail (text != NULL && index < text->n_entries, NULL);
  return text->entries[index].language;
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
