/* dlg-metainfo.c - release notes from the app's AppStream metainfo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The About window shows the notes of the running version, and the only
 * place they are written is the metainfo that software centres read, so the
 * app reads them from there instead of keeping a second copy.
 *
 * A translated metainfo (i18n.merge_file) keeps each original paragraph
 * and puts its translations right after it, as siblings with an xml:lang
 * attribute. The notes are rebuilt from that in the best language the
 * reader has, paragraph by paragraph, falling back to the original where a
 * paragraph is not translated yet.
 */

#define G_LOG_DOMAIN "dlg-metainfo"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dlg-metainfo.h"

G_DEFINE_QUARK (dlg-metainfo-error-quark, dlg_metainfo_error)

/* One element of a release description, or a run of its text. */
typedef struct _Node Node;

struct _Node
{
  char      *name;      /* NULL for text */
  char      *lang;      /* xml:lang; NULL for the original */
  GString   *text;      /* text nodes only */
  GPtrArray *children;  /* (element-type Node) elements only */
};

static void
node_free (Node *node)
{
  g_free (node->name);
  g_free (node->lang);
  if (node->text != NULL)
    g_string_free (node->text, TRUE);
  g_clear_pointer (&node->children, g_ptr_array_unref);
  g_free (node);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Node, node_free)

static Node *
node_new_element (const char *name,
                  const char *lang)
{
  Node *node = g_new0 (Node, 1);

  node->name = g_strdup (name);
  node->lang = g_strdup (lang);
  node->children = g_ptr_array_new_with_free_func ((GDestroyNotify) node_free);
  return node;
}

/* Elements whose text is shown. Text loose in <description>, <ul> or <ol>
 * is only the indentation between their children. */
static gboolean
holds_text (const char *name)
{
  return g_strcmp0 (name, "description") != 0 &&
         g_strcmp0 (name, "ul") != 0 &&
         g_strcmp0 (name, "ol") != 0;
}

typedef struct
{
  const char *version;
  gboolean    in_release;
  gboolean    found_release;
  Node       *description;
  GPtrArray  *open;       /* (element-type Node) (transfer none) */
} Reader;

static void
start_element_cb (GMarkupParseContext  *context,
                  const char           *element_name,
                  const char          **attribute_names,
                  const char          **attribute_values,
                  gpointer              user_data,
                  GError              **error)
{
  Reader *reader = user_data;
  const GSList *stack = g_markup_parse_context_get_element_stack (context);
  guint depth = g_slist_length ((GSList *) stack);
  const char *lang = NULL;
  const char *version = NULL;
  Node *node;

  for (guint i = 0; attribute_names[i] != NULL; i++)
    {
      if (strcmp (attribute_names[i], "xml:lang") == 0)
        lang = attribute_values[i];
      else if (strcmp (attribute_names[i], "version") == 0)
        version = attribute_values[i];
    }

  if (reader->open->len > 0)
    {
      node = node_new_element (element_name, lang);
      g_ptr_array_add (((Node *) g_ptr_array_index (reader->open, reader->open->len - 1))->children, node);
      g_ptr_array_add (reader->open, node);
      return;
    }

  /* component > releases > release, the first with this version. */
  if (depth == 3 && strcmp (element_name, "release") == 0 &&
      strcmp (stack->next->data, "releases") == 0 &&
      strcmp (stack->next->next->data, "component") == 0 &&
      g_strcmp0 (version, reader->version) == 0 &&
      !reader->found_release)
    {
      reader->in_release = TRUE;
      reader->found_release = TRUE;
    }
  else if (depth == 4 && reader->in_release && reader->description == NULL &&
           strcmp (element_name, "description") == 0)
    {
      reader->description = node_new_element (element_name, NULL);
      g_ptr_array_add (reader->open, reader->description);
    }
}

static void
end_element_cb (GMarkupParseContext  *context,
                const char           *element_name,
                gpointer              user_data,
                GError              **error)
{
  Reader *reader = user_data;

  if (reader->open->len > 0)
    g_ptr_array_remove_index (reader->open, reader->open->len - 1);
  else if (reader->in_release && strcmp (element_name, "release") == 0)
    reader->in_release = FALSE;
}

static void
text_cb (GMarkupParseContext  *context,
         const char           *text,
         gsize                 text_len,
         gpointer              user_data,
         GError              **error)
{
  Reader *reader = user_data;
  Node *parent;
  Node *last;

  if (reader->open->len == 0)
    return;

  parent = g_ptr_array_index (reader->open, reader->open->len - 1);
  if (!holds_text (parent->name))
    return;

  last = parent->children->len > 0 ? g_ptr_array_index (parent->children, parent->children->len - 1) : NULL;
  if (last == NULL || last->name != NULL)
    {
      last = g_new0 (Node, 1);
      last->text = g_string_new (NULL);
      g_ptr_array_add (parent->children, last);
    }

  /* Line breaks and indentation in the file are not part of the text. */
  for (gsize i = 0; i < text_len; i++)
    {
      if (g_ascii_isspace (text[i]))
        {
          if (last->text->len == 0 || last->text->str[last->text->len - 1] != ' ')
            g_string_append_c (last->text, ' ');
        }
      else
        g_string_append_c (last->text, text[i]);
    }
}

/* Lower is better; G_MAXUINT means "not in a language the reader has". */
static guint
language_rank (const char         *lang,
               const char * const *languages)
{
  guint i;

  for (i = 0; languages[i] != NULL; i++)
    if (g_strcmp0 (languages[i], lang != NULL ? lang : "C") == 0)
      return i;

  /* Untranslated text is the fallback even when "C" is not listed. */
  return lang == NULL ? i : G_MAXUINT;
}

static gboolean
is_known_element (const char *name)
{
  static const char * const known[] = { "p", "ul", "ol", "li", "em", "code", NULL };

  return g_strv_contains (known, name);
}

static void render_children (Node               *node,
                             const char * const *languages,
                             GString            *out);

static void
render_element (Node               *node,
                const char * const *languages,
                GString            *out)
{
  g_autoptr(GString) inner = g_string_new (NULL);
  const char *start;
  gsize length;

  render_children (node, languages, inner);

  /* Spaces next to the tags of a paragraph or item are layout. */
  start = inner->str;
  length = inner->len;
  if (g_strcmp0 (node->name, "p") == 0 || g_strcmp0 (node->name, "li") == 0)
    {
      while (length > 0 && *start == ' ')
        start++, length--;
      while (length > 0 && start[length - 1] == ' ')
        length--;
    }

  if (is_known_element (node->name))
    g_string_append_printf (out, "<%s>", node->name);
  g_string_append_len (out, start, length);
  if (is_known_element (node->name))
    g_string_append_printf (out, "</%s>", node->name);
}

static void
render_children (Node               *node,
                 const char * const *languages,
                 GString            *out)
{
  guint i = 0;

  while (i < node->children->len)
    {
      Node *child = g_ptr_array_index (node->children, i);
      Node *best = NULL;
      guint best_rank = G_MAXUINT;
      guint end;

      if (child->name == NULL)
        {
          g_autofree char *escaped = g_markup_escape_text (child->text->str, child->text->len);
          g_string_append (out, escaped);
          i++;
          continue;
        }

      /* A group is an original element and the translations after it. */
      for (end = i + 1; end < node->children->len; end++)
        {
          Node *next = g_ptr_array_index (node->children, end);

          if (next->name == NULL || next->lang == NULL || child->lang != NULL ||
              g_strcmp0 (next->name, child->name) != 0)
            break;
        }

      for (guint j = i; j < end; j++)
        {
          Node *variant = g_ptr_array_index (node->children, j);
          guint rank = language_rank (variant->lang, languages);

          if (rank < best_rank)
            {
              best = variant;
              best_rank = rank;
            }
        }

      if (best != NULL)
        render_element (best, languages, out);
      i = end;
    }
}

/**
 * dlg_metainfo_get_release_notes:
 * @metainfo: the contents of an AppStream metainfo file, translated or not
 * @version: the release to read
 * @languages: the reader's languages, best first, as g_get_language_names()
 *   gives them
 * @error: a #GError
 *
 * Reads the notes of one release, in the markup that AdwAboutWindow's
 * release notes take (paragraphs, lists, emphasis and code).
 *
 * Returns: (transfer full): the notes, an empty string if the release has
 *   none, or %NULL with @error set if @metainfo is not well-formed
 *   (%DLG_METAINFO_ERROR_INVALID) or has no release @version
 *   (%DLG_METAINFO_ERROR_NO_RELEASE)
 */
char *
dlg_metainfo_get_release_notes (GBytes             *metainfo,
                                const char         *version,
                                const char * const *languages,
                                GError            **error)
{
  static const GMarkupParser parser = {
    .start_element = start_element_cb,
    .end_element = end_element_cb,
    .text = text_cb,
  };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GPtrArray) open = g_ptr_array_new ();
  g_autoptr(Node) description = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) notes = g_string_new (NULL);
  Reader reader = { 0 };
  gsize size;
  const char *data;

  g_return_val_if_fail (metainfo != NULL, NULL);
  g_return_val_if_fail (version != NULL, NULL);
  g_return_val_if_fail (languages != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  reader.version = version;
  reader.open = open;

  data = g_bytes_get_data (metainfo, &size);
  context = g_markup_parse_context_new (&parser, G_MARKUP_PREFIX_ERROR_POSITION, &reader, NULL);
  if (!g_markup_parse_context_parse (context, data, size, &local_error) ||
      !g_markup_parse_context_end_parse (context, &local_error))
    {
      g_clear_pointer (&reader.description, node_free);
      g_set_error (error, DLG_METAINFO_ERROR, DLG_METAINFO_ERROR_INVALID,
                   _("The metainfo is not well-formed XML: %s"), local_error->message);
      return NULL;
    }

  description = g_steal_pointer (&reader.description);

  if (!reader.found_release)
    {
      g_set_error (error, DLG_METAINFO_ERROR, DLG_METAINFO_ERROR_NO_RELEASE,
                   _("The metainfo describes no release %s."), version);
      return NULL;
    }

  if (description != NULL)
    render_children (description, languages, notes);

  return g_string_free (g_steal_pointer (&notes), FALSE);
}
