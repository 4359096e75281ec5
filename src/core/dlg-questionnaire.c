/* dlg-questionnaire.c - a questionnaire: sections, questions, options, rules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Loading and validation are one pass over the JSON tree, so that what the
 * validator accepts is exactly what the engine understands. Every problem is
 * reported with the JSON Pointer of its node, in words meant for the author
 * of the file; loading goes on after an error so that one run lists them all.
 * docs/questionnaire-format.md is the specification this file implements.
 */

#define G_LOG_DOMAIN "dlg-questionnaire"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "dlg-diagnostic.h"
#include "dlg-json.h"
#include "dlg-questionnaire.h"

#define MAX_CONDITION_DEPTH 16
#define MAX_ID_LENGTH 64

struct _DlgQuestionnaire
{
  GObject     parent_instance;

  GBytes     *bytes;
  DlgJsonDoc *doc;
  char       *checksum;

  char       *id;
  char       *version;
  DlgKind     kind;
  char       *default_language;
  char      **languages;
  DlgText    *title;
  DlgText    *description;
  DlgText    *publisher;
  DlgScoring  scoring;

  GPtrArray  *sections;   /* DlgSection* */
  GPtrArray  *questions;  /* DlgQuestion*, in document order */
  GHashTable *question_by_id;
  GHashTable *section_by_id;
  guint       n_quick_scan;
};

G_DEFINE_FINAL_TYPE (DlgQuestionnaire, dlg_questionnaire, G_TYPE_OBJECT)

G_DEFINE_QUARK (dlg-questionnaire-error-quark, dlg_questionnaire_error)

static void
condition_free (DlgCondition *cond)
{
  if (cond == NULL)
    return;
  g_clear_pointer (&cond->values, g_ptr_array_unref);
  g_clear_pointer (&cond->children, g_ptr_array_unref);
  g_free (cond);
}

static void
question_free (DlgQuestion *q)
{
  dlg_text_free (q->text);
  dlg_text_free (q->guidance);
  dlg_text_free (q->unit);
  condition_free (q->visible_if);
  g_clear_pointer (&q->options, g_ptr_array_unref);
  g_clear_pointer (&q->bands, g_array_unref);
  g_free (q);
}

static void
section_free (DlgSection *s)
{
  dlg_text_free (s->title);
  dlg_text_free (s->description);
  condition_free (s->visible_if);
  g_clear_pointer (&s->questions, g_ptr_array_unref);
  g_free (s);
}

static void
dlg_questionnaire_finalize (GObject *object)
{
  DlgQuestionnaire *self = (DlgQuestionnaire *)object;

  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->checksum, g_free);
  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->version, g_free);
  g_clear_pointer (&self->default_language, g_free);
  g_clear_pointer (&self->languages, g_strfreev);
  g_clear_pointer (&self->title, dlg_text_free);
  g_clear_pointer (&self->description, dlg_text_free);
  g_clear_pointer (&self->publisher, dlg_text_free);
  g_clear_pointer (&self->question_by_id, g_hash_table_unref);
  g_clear_pointer (&self->section_by_id, g_hash_table_unref);
  g_clear_pointer (&self->questions, g_ptr_array_unref);
  g_clear_pointer (&self->sections, g_ptr_array_unref);
  /* Last: texts and condition values live in the document. */
  g_clear_pointer (&self->doc, dlg_json_doc_unref);

  G_OBJECT_CLASS (dlg_questionnaire_parent_class)->finalize (object);
}

static void
dlg_questionnaire_class_init (DlgQuestionnaireClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dlg_questionnaire_finalize;
}

static void
dlg_questionnaire_init (DlgQuestionnaire *self)
{
  self->sections = g_ptr_array_new_with_free_func ((GDestroyNotify) section_free);
  /* Questions are owned through their sections. */
  self->questions = g_ptr_array_new_with_free_func ((GDestroyNotify) question_free);
  self->question_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->section_by_id = g_hash_table_new (g_str_hash, g_str_equal);
}

/* ------------------------------------------------------------------------ */
/* Loading context                                                          */
/* ------------------------------------------------------------------------ */

typedef struct
{
  /* What refers to what, for ordering and cycle checks. Nodes are
   * questions (0 … n_questions-1) then sections. */
  guint  from;
  guint  to;
  char  *pointer;
  gboolean in_cycle;
} Edge;

typedef struct
{
  gpointer  owner;          /* DlgQuestion* or DlgSection* */
  gboolean  is_section;
  DlgJsonValue *node;
  char     *pointer;
} PendingCondition;

typedef struct
{
  DlgQuestionnaire *self;
  GPtrArray        *diagnostics;
  guint             n_errors;
  GString          *path;
  GHashTable       *id_pointers;   /* id → IdPlace of its first use */
  GArray           *pending;       /* PendingCondition */
  GArray           *edges;         /* Edge */
  guint            *order;         /* document order of each node */
  GPtrArray        *scratch;       /* strings freed with the loader */
  DlgJsonDoc       *doc;
  GPtrArray        *interned;      /* language codes */
} Loader;

static void diag (Loader      *l,
                  DlgSeverity  severity,
                  const char  *suffix,
                  const char  *format,
                  ...) G_GNUC_PRINTF (4, 5);

static void
diag (Loader      *l,
      DlgSeverity  severity,
      const char  *suffix,
      const char  *format,
      ...)
{
  g_autofree char *message = NULL;
  g_autofree char *pointer = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (suffix != NULL)
    {
      g_autofree char *escaped = dlg_json_pointer_escape (suffix);
      pointer = g_strdup_printf ("%s/%s", l->path->str, escaped);
    }
  else
    pointer = g_strdup (l->path->str);

  if (severity == DLG_SEVERITY_ERROR)
    l->n_errors++;
  g_ptr_array_add (l->diagnostics, dlg_diagnostic_new (severity, pointer, message));
}

static gsize
path_push_key (Loader     *l,
               const char *key)
{
  gsize mark = l->path->len;

  g_string_append_c (l->path, '/');
  for (const char *p = key; *p; p++)
    {
      if (*p == '~')
        g_string_append (l->path, "~0");
      else if (*p == '/')
        g_string_append (l->path, "~1");
      else
        g_string_append_c (l->path, *p);
    }
  return mark;
}

static gsize
path_push_index (Loader *l,
                 guint   index)
{
  gsize mark = l->path->len;
  char buf[16];
  guint n = 0;

  /* Called for every node: no printf. */
  do
    buf[n++] = '0' + index % 10;
  while ((index /= 10) > 0);

  g_string_append_c (l->path, '/');
  while (n > 0)
    g_string_append_c (l->path, buf[--n]);
  return mark;
}

static void
path_pop (Loader *l,
          gsize   mark)
{
  g_string_truncate (l->path, mark);
}

static gboolean
node_is_string (DlgJsonValue *node)
{
  return node->type == DLG_JSON_STRING;
}

static gboolean
node_is_number (DlgJsonValue *node)
{
  return node->type == DLG_JSON_NUMBER;
}

static gboolean
node_is_boolean (DlgJsonValue *node)
{
  return node->type == DLG_JSON_BOOLEAN;
}

static void
check_keys (Loader             *l,
            DlgJsonValue       *object,
            const char * const *allowed,
            const char         *what)
{
  for (guint i = 0; i < object->length; i++)
    {
      const char *key = object->members[i].key;
      gboolean known = FALSE;

      for (guint j = 0; allowed[j] && !known; j++)
        known = allowed[j][0] == key[0] && strcmp (allowed[j], key) == 0;
      if (known || g_str_has_prefix (key, "x-"))
        continue;
      diag (l, DLG_SEVERITY_WARNING, key,
            _("Unknown member “%s” in %s; it is ignored (extensions start with “x-”)"),
            key, what);
    }
}

static gboolean
is_valid_id (const char *id)
{
  gsize len = strlen (id);

  if (len == 0 || len > MAX_ID_LENGTH || !g_ascii_isalnum (id[0]))
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

static gboolean
is_valid_language (const char *code)
{
  const char *p = code;
  guint n = 0;

  /* A practical subset of BCP 47: "fr", "fr-BE", "sr-Latn". */
  while (g_ascii_islower (*p))
    p++, n++;
  if (n < 2 || n > 3)
    return FALSE;

  while (*p == '-')
    {
      p++;
      n = 0;
      while (g_ascii_isalnum (*p))
        p++, n++;
      if (n < 2 || n > 8)
        return FALSE;
    }

  return *p == '\0';
}

static const char *
get_string (Loader     *l,
            DlgJsonValue *object,
            const char *key,
            gboolean    required)
{
  DlgJsonValue *node = dlg_json_get (object, key);

  if (node == NULL)
    {
      if (required)
        diag (l, DLG_SEVERITY_ERROR, NULL, _("Required member “%s” is missing"), key);
      return NULL;
    }
  if (!node_is_string (node))
    {
      diag (l, DLG_SEVERITY_ERROR, key, _("“%s” must be a string, not %s"), key, dlg_json_type_name (node));
      return NULL;
    }
  return (node)->string;
}

static gboolean
get_boolean (Loader     *l,
             DlgJsonValue *object,
             const char *key,
             gboolean    default_value)
{
  DlgJsonValue *node = dlg_json_get (object, key);

  if (node == NULL)
    return default_value;
  if (!node_is_boolean (node))
    {
      diag (l, DLG_SEVERITY_ERROR, key, _("“%s” must be true or false, not %s"), key, dlg_json_type_name (node));
      return default_value;
    }
  return (node)->boolean;
}

/* Returns TRUE if the member is present and a finite number. */
static gboolean
get_number (Loader     *l,
            DlgJsonValue *object,
            const char *key,
            double     *out)
{
  DlgJsonValue *node = dlg_json_get (object, key);

  if (node == NULL)
    return FALSE;
  if (!node_is_number (node))
    {
      diag (l, DLG_SEVERITY_ERROR, key, _("“%s” must be a number, not %s"), key, dlg_json_type_name (node));
      return FALSE;
    }
  *out = (node)->number;
  if (!isfinite (*out))
    {
      diag (l, DLG_SEVERITY_ERROR, key, _("“%s” is out of range"), key);
      return FALSE;
    }
  return TRUE;
}

static double
get_non_negative (Loader     *l,
                  DlgJsonValue *object,
                  const char *key,
                  double      default_value)
{
  double v;

  if (!get_number (l, object, key, &v))
    return default_value;
  if (v < 0)
    {
      diag (l, DLG_SEVERITY_ERROR, key, _("“%s” must not be negative"), key);
      return default_value;
    }
  return v;
}

static DlgJsonValue *
get_object (Loader     *l,
            DlgJsonValue *object,
            const char *key,
            gboolean    required)
{
  DlgJsonValue *node = dlg_json_get (object, key);

  if (node == NULL)
    {
      if (required)
        diag (l, DLG_SEVERITY_ERROR, NULL, _("Required member “%s” is missing"), key);
      return NULL;
    }
  if (!dlg_json_is_object (node))
    {
      diag (l, DLG_SEVERITY_ERROR, key, _("“%s” must be an object, not %s"), key, dlg_json_type_name (node));
      return NULL;
    }
  return node;
}

static DlgJsonValue *
get_array (Loader     *l,
           DlgJsonValue *object,
           const char *key,
           gboolean    required)
{
  DlgJsonValue *node = dlg_json_get (object, key);

  if (node == NULL)
    {
      if (required)
        diag (l, DLG_SEVERITY_ERROR, NULL, _("Required member “%s” is missing"), key);
      return NULL;
    }
  if (!dlg_json_is_array (node))
    {
      diag (l, DLG_SEVERITY_ERROR, key, _("“%s” must be an array, not %s"), key, dlg_json_type_name (node));
      return NULL;
    }
  return node;
}

/* g_intern_string() takes a global lock; the few languages of a file are
 * interned once and found again by comparison. */
static const char *
intern_language (Loader     *l,
                 const char *lang)
{
  for (guint i = 0; i < l->interned->len; i++)
    if (strcmp (g_ptr_array_index (l->interned, i), lang) == 0)
      return g_ptr_array_index (l->interned, i);

  g_ptr_array_add (l->interned, (gpointer) g_intern_string (lang));
  return g_ptr_array_index (l->interned, l->interned->len - 1);
}

static DlgText *
get_text (Loader     *l,
          DlgJsonValue *object,
          const char *key,
          gboolean    required)
{
  DlgQuestionnaire *self = l->self;
  DlgJsonValue *node = dlg_json_get (object, key);
  const char *default_language = self->default_language ? self->default_language : "en";
  DlgText *text;
  DlgJsonValue *translations;
    const char *lang;
  DlgJsonValue *value;
  gsize mark;

  if (node == NULL)
    {
      if (required)
        diag (l, DLG_SEVERITY_ERROR, NULL, _("Required member “%s” is missing"), key);
      return NULL;
    }

  if (node_is_string (node))
    {
      const char *str = (node)->string;

      if (*str == '\0')
        {
          diag (l, DLG_SEVERITY_ERROR, key, _("“%s” is empty"), key);
          return NULL;
        }
      for (guint i = 0; self->languages && self->languages[i]; i++)
        if (strcmp (self->languages[i], default_language) != 0)
          diag (l, DLG_SEVERITY_WARNING, key,
                _("No “%s” translation; the default language is shown instead"), self->languages[i]);
      {
        const char *lang0 = intern_language (l, default_language);
        return dlg_text_new_borrowed (l->doc, 1, &lang0, &str);
      }
    }

  if (!dlg_json_is_object (node))
    {
      diag (l, DLG_SEVERITY_ERROR, key,
            _("“%s” must be a string or an object of translations, not %s"),
            key, dlg_json_type_name (node));
      return NULL;
    }

  translations = node;
  mark = path_push_key (l, key);

  value = dlg_json_get (translations, default_language);
  if (value == NULL)
    {
      diag (l, DLG_SEVERITY_ERROR, NULL,
            _("No text in the default language “%s”"), default_language);
      path_pop (l, mark);
      return NULL;
    }

  text = NULL;
  for (guint i = 0; i < translations->length; i++)
    {
      lang = translations->members[i].key;
      value = translations->members[i].value;

      if (!is_valid_language (lang))
        {
          diag (l, DLG_SEVERITY_ERROR, lang, _("“%s” is not a language code such as “en” or “fr-BE”"), lang);
          continue;
        }
      if (!node_is_string (value))
        {
          diag (l, DLG_SEVERITY_ERROR, lang, _("The “%s” text must be a string, not %s"), lang, dlg_json_type_name (value));
          continue;
        }
      if (*(value)->string == '\0')
        {
          diag (l, DLG_SEVERITY_ERROR, lang, _("The “%s” text is empty"), lang);
          continue;
        }
      if (self->languages != NULL && !g_strv_contains ((const char * const *) self->languages, lang))
        diag (l, DLG_SEVERITY_WARNING, lang,
              _("Language “%s” is not listed in “languages”; it will not be offered"), lang);
    }

  value = dlg_json_get (translations, default_language);
  if (node_is_string (value) && *value->string)
    {
      /* Texts rarely have more than a handful of languages. */
      const char *langs_buf[16], *values_buf[16];
      g_autofree const char **langs_heap = NULL;
      g_autofree const char **values_heap = NULL;
      const char **langs = langs_buf, **values = values_buf;
      guint n = 0;

      if (translations->length > G_N_ELEMENTS (langs_buf))
        {
          langs = langs_heap = g_new (const char *, translations->length);
          values = values_heap = g_new (const char *, translations->length);
        }

      langs[n] = intern_language (l, default_language);
      values[n++] = value->string;
      for (guint i = 0; i < translations->length; i++)
        {
          lang = translations->members[i].key;
          value = translations->members[i].value;
          if (is_valid_language (lang) && node_is_string (value) &&
              *value->string && strcmp (lang, default_language) != 0)
            {
              langs[n] = intern_language (l, lang);
              values[n++] = value->string;
            }
        }
      text = dlg_text_new_borrowed (l->doc, n, langs, values);
    }

  for (guint i = 0; self->languages && self->languages[i]; i++)
    if (!(dlg_json_get (translations, self->languages[i]) != NULL))
      diag (l, DLG_SEVERITY_WARNING, NULL,
            _("No “%s” translation; the default language is shown instead"), self->languages[i]);

  path_pop (l, mark);
  return text;
}

typedef struct
{
  guint section;
  guint question;   /* G_MAXUINT for the section itself */
} IdPlace;

/* Ids are borrowed from the document, which the questionnaire keeps. */
static const char *
get_id (Loader       *l,
        DlgJsonValue *object,
        gboolean      global,
        guint         section,
        guint         question)
{
  const char *id = get_string (l, object, "id", TRUE);

  if (id == NULL)
    return NULL;

  if (!is_valid_id (id))
    {
      diag (l, DLG_SEVERITY_ERROR, "id",
            _("“%s” is not a valid id: use 1 to %d letters, digits, “-”, “_” or “.”, starting with a letter or digit"),
            id, MAX_ID_LENGTH);
      return NULL;
    }

  if (global)
    {
      const IdPlace *first = g_hash_table_lookup (l->id_pointers, id);
      IdPlace *place;

      if (first != NULL)
        {
          g_autofree char *where = NULL;

          if (first->question == G_MAXUINT)
            where = g_strdup_printf ("/sections/%u/id", first->section);
          else
            where = g_strdup_printf ("/sections/%u/questions/%u/id", first->section, first->question);
          diag (l, DLG_SEVERITY_ERROR, "id", _("Duplicate id “%s”, already used at %s"), id, where);
          return NULL;
        }

      place = dlg_json_doc_alloc (l->doc, sizeof (IdPlace));
      place->section = section;
      place->question = question;
      g_hash_table_insert (l->id_pointers, (gpointer) id, place);
    }

  return id;
}

static DlgOption *
new_option (Loader *l)
{
  DlgOption *option = dlg_json_doc_alloc (l->doc, sizeof (DlgOption));

  memset (option, 0, sizeof *option);
  return option;
}

static void
parse_scoring (Loader     *l,
               DlgJsonValue *parent,
               DlgScoring *scoring)
{
  static const char * const keys[] = { "method", "thresholds", NULL };
  static const char * const threshold_keys[] = { "green", "amber", NULL };
  DlgJsonValue *object;
  DlgJsonValue *thresholds;
  const char *method;
  gsize mark;

  scoring->method = DLG_SCORING_WORST;
  scoring->green = 80;
  scoring->amber = 50;

  if (!(object = get_object (l, parent, "scoring", FALSE)))
    return;

  mark = path_push_key (l, "scoring");
  check_keys (l, object, keys, _("scoring"));

  method = get_string (l, object, "method", TRUE);
  if (g_strcmp0 (method, "weighted") == 0)
    scoring->method = DLG_SCORING_WEIGHTED;
  else if (method != NULL && strcmp (method, "worst") != 0)
    diag (l, DLG_SEVERITY_ERROR, "method",
          _("Unknown scoring method “%s” (expected “worst” or “weighted”)"), method);

  thresholds = get_object (l, object, "thresholds", scoring->method == DLG_SCORING_WEIGHTED);
  if (thresholds != NULL)
    {
      gboolean have_green, have_amber;
      gsize mark2;

      if (scoring->method == DLG_SCORING_WORST)
        diag (l, DLG_SEVERITY_WARNING, "thresholds",
              _("“thresholds” only apply to the “weighted” method; they are ignored"));

      mark2 = path_push_key (l, "thresholds");
      check_keys (l, thresholds, threshold_keys, _("thresholds"));
      have_green = get_number (l, thresholds, "green", &scoring->green);
      have_amber = get_number (l, thresholds, "amber", &scoring->amber);
      if (!(dlg_json_get (thresholds, "green") != NULL))
        diag (l, DLG_SEVERITY_ERROR, NULL, _("Required member “%s” is missing"), "green");
      if (!(dlg_json_get (thresholds, "amber") != NULL))
        diag (l, DLG_SEVERITY_ERROR, NULL, _("Required member “%s” is missing"), "amber");

      if (have_green && (scoring->green < 0 || scoring->green > 100))
        diag (l, DLG_SEVERITY_ERROR, "green", _("Thresholds are percentages, from 0 to 100"));
      else if (have_amber && (scoring->amber < 0 || scoring->amber > 100))
        diag (l, DLG_SEVERITY_ERROR, "amber", _("Thresholds are percentages, from 0 to 100"));
      else if (have_green && have_amber && scoring->amber > scoring->green)
        diag (l, DLG_SEVERITY_ERROR, NULL,
              _("Thresholds are out of order: amber (%g) must not be above green (%g)"),
              scoring->amber, scoring->green);
      path_pop (l, mark2);
    }

  path_pop (l, mark);
}

static DlgLevel
parse_level (Loader     *l,
             DlgJsonValue *object,
             gboolean    required,
             DlgLevel    default_level)
{
  const char *str = get_string (l, object, "level", required);
  DlgLevel level;

  if (str == NULL)
    return default_level;
  if (!dlg_level_from_string (str, &level))
    {
      diag (l, DLG_SEVERITY_ERROR, "level",
            _("Unknown level “%s” (expected green, amber, red or grey)"), str);
      return default_level;
    }
  return level;
}

static void
add_yes_no_options (Loader      *l,
                    DlgQuestion *q,
                    gboolean     partly,
                    gboolean     not_applicable,
                    gboolean     inverted)
{
  struct { const char *id; DlgLevel level; gboolean offered; } defs[] = {
    { "yes", inverted ? DLG_LEVEL_RED : DLG_LEVEL_GREEN, TRUE },
    { "partly", DLG_LEVEL_AMBER, partly },
    { "no", inverted ? DLG_LEVEL_GREEN : DLG_LEVEL_RED, TRUE },
    { "na", DLG_LEVEL_GREY, not_applicable },
  };

  for (guint i = 0; i < G_N_ELEMENTS (defs); i++)
    {
      DlgOption *option;

      if (!defs[i].offered)
        continue;
      option = new_option (l);
      option->id = defs[i].id;
      option->level = defs[i].level;
      option->points = dlg_level_default_points (defs[i].level);
      g_ptr_array_add (q->options, option);
    }
}

static void
parse_options (Loader      *l,
               DlgJsonValue *object,
               DlgQuestion *q)
{
  static const char * const keys[] = { "id", "label", "level", "points", "exclusive", NULL };
  gboolean is_yes_no = q->type == DLG_QUESTION_YES_NO;
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();
  DlgJsonValue *options = get_array (l, object, "options", !is_yes_no);
  gsize mark;
  guint n;

  if (options == NULL)
    return;

  n = dlg_json_length (options);
  mark = path_push_key (l, "options");

  if (!is_yes_no && n < 2)
    diag (l, DLG_SEVERITY_ERROR, NULL,
          _("A choice question needs at least two options"));

  for (guint i = 0; i < n; i++)
    {
      DlgJsonValue *node = dlg_json_index (options, i);
      DlgJsonValue *o;
      gsize mark2 = path_push_index (l, i);
      const char *id = NULL;

      if (!dlg_json_is_object (node))
        {
          diag (l, DLG_SEVERITY_ERROR, NULL, _("An option must be an object, not %s"), dlg_json_type_name (node));
          path_pop (l, mark2);
          continue;
        }
      o = node;
      check_keys (l, o, keys, _("an option"));

      id = get_id (l, o, FALSE, 0, 0);
      if (id != NULL && g_ptr_array_find_with_equal_func (seen, id, g_str_equal, NULL))
        {
          diag (l, DLG_SEVERITY_ERROR, "id", _("Duplicate option id “%s” in this question"), id);
          id = NULL;
        }

      if (is_yes_no)
        {
          /* Overrides of the built-in options. */
          DlgOption *option = NULL;

          if (id != NULL)
            option = (DlgOption *) dlg_question_lookup_option (q, id);
          if (id != NULL && option == NULL)
            diag (l, DLG_SEVERITY_ERROR, "id",
                  _("A yes/no question has no option “%s” (it offers yes, no, and partly and na when enabled)"),
                  id);

          if (option != NULL)
            {
              g_ptr_array_add (seen, (gpointer) option->id);
              option->label = get_text (l, o, "label", FALSE);
              if ((dlg_json_get (o, "level") != NULL))
                {
                  option->level = parse_level (l, o, FALSE, option->level);
                  option->points = dlg_level_default_points (option->level);
                }
              option->points = get_non_negative (l, o, "points", option->points);
            }
          if ((dlg_json_get (o, "exclusive") != NULL))
            diag (l, DLG_SEVERITY_WARNING, "exclusive",
                  _("“exclusive” only applies to multiple-choice questions; it is ignored"));
        }
      else
        {
          DlgOption *option = new_option (l);

          option->label = get_text (l, o, "label", TRUE);
          option->level = parse_level (l, o, TRUE, DLG_LEVEL_GREY);
          option->points = get_non_negative (l, o, "points", dlg_level_default_points (option->level));
          option->exclusive = get_boolean (l, o, "exclusive", FALSE);
          if (option->exclusive && q->type != DLG_QUESTION_MULTIPLE_CHOICE)
            diag (l, DLG_SEVERITY_WARNING, "exclusive",
                  _("“exclusive” only applies to multiple-choice questions; it is ignored"));

          if (id != NULL)
            {
              option->id = id;
              g_ptr_array_add (seen, (gpointer) id);
              g_ptr_array_add (q->options, option);
            }
        }

      path_pop (l, mark2);
    }

  path_pop (l, mark);
}

static void
parse_bands (Loader      *l,
             DlgJsonValue *object,
             DlgQuestion *q)
{
  static const char * const keys[] = { "min", "max", "level", "points", NULL };
  DlgJsonValue *bands = get_array (l, object, "bands", FALSE);
  gboolean open_seen = FALSE;
  gsize mark;

  if (bands == NULL)
    return;

  mark = path_push_key (l, "bands");
  if (dlg_json_length (bands) == 0)
    diag (l, DLG_SEVERITY_WARNING, NULL, _("“bands” is empty: the question is not scored"));

  for (guint i = 0; i < dlg_json_length (bands); i++)
    {
      DlgJsonValue *node = dlg_json_index (bands, i);
      gsize mark2 = path_push_index (l, i);
      DlgBand band = { 0 };
      DlgJsonValue *o;

      if (!dlg_json_is_object (node))
        {
          diag (l, DLG_SEVERITY_ERROR, NULL, _("A band must be an object, not %s"), dlg_json_type_name (node));
          path_pop (l, mark2);
          continue;
        }
      o = node;
      check_keys (l, o, keys, _("a band"));

      band.has_min = get_number (l, o, "min", &band.min);
      band.has_max = get_number (l, o, "max", &band.max);
      band.level = parse_level (l, o, TRUE, DLG_LEVEL_GREY);
      band.points = get_non_negative (l, o, "points", dlg_level_default_points (band.level));

      if (band.has_min && band.has_max && band.min > band.max)
        diag (l, DLG_SEVERITY_ERROR, NULL,
              _("“min” (%g) is greater than “max” (%g)"), band.min, band.max);
      if (open_seen)
        diag (l, DLG_SEVERITY_ERROR, NULL,
              _("This band can never apply: an earlier band has neither “min” nor “max” and takes every value"));
      if (!band.has_min && !band.has_max)
        open_seen = TRUE;

      g_array_append_val (q->bands, band);
      path_pop (l, mark2);
    }

  path_pop (l, mark);
}

static const struct {
  const char      *name;
  DlgQuestionType  type;
} question_types[] = {
  { "single_choice", DLG_QUESTION_SINGLE_CHOICE },
  { "multiple_choice", DLG_QUESTION_MULTIPLE_CHOICE },
  { "yes_no", DLG_QUESTION_YES_NO },
  { "text", DLG_QUESTION_TEXT },
  { "number", DLG_QUESTION_NUMBER },
  { "date", DLG_QUESTION_DATE },
};

static void
warn_inapplicable (Loader      *l,
                   DlgJsonValue *o,
                   const char  *key,
                   const char  *type_label)
{
  if ((dlg_json_get (o, key) != NULL))
    diag (l, DLG_SEVERITY_WARNING, key,
          _("“%s” only applies to %s questions; it is ignored"), key, type_label);
}

static DlgQuestion *
parse_question (Loader     *l,
                DlgJsonValue *o,
                DlgSection *section)
{
  static const char * const keys[] = {
    "id", "type", "text", "guidance", "required", "weight", "evidence", "critical",
    "quick_scan", "visible_if", "options", "partly", "not_applicable", "inverted",
    "unit", "min", "max", "integer", "bands", NULL
  };
  DlgQuestion *q = g_new0 (DlgQuestion, 1);
  const char *type;
  const char *evidence;
  gboolean type_known = FALSE;

  q->section = section;
  q->options = g_ptr_array_new ();
  q->bands = g_array_new (FALSE, FALSE, sizeof (DlgBand));
  q->type = DLG_QUESTION_TEXT;

  check_keys (l, o, keys, _("a question"));
  q->id = get_id (l, o, TRUE, section->index, section->questions->len);

  type = get_string (l, o, "type", TRUE);
  for (guint i = 0; type && i < G_N_ELEMENTS (question_types); i++)
    if (strcmp (type, question_types[i].name) == 0)
      {
        q->type = question_types[i].type;
        type_known = TRUE;
      }
  if (type != NULL && !type_known)
    diag (l, DLG_SEVERITY_ERROR, "type",
          _("Unknown question type “%s” (expected single_choice, multiple_choice, yes_no, text, number or date)"),
          type);

  q->text = get_text (l, o, "text", TRUE);
  q->guidance = get_text (l, o, "guidance", FALSE);
  q->required = get_boolean (l, o, "required", TRUE);
  q->weight = get_non_negative (l, o, "weight", 1.0);
  q->critical = get_boolean (l, o, "critical", FALSE);
  q->quick_scan = get_boolean (l, o, "quick_scan", FALSE);

  evidence = get_string (l, o, "evidence", FALSE);
  if (evidence == NULL || strcmp (evidence, "none") == 0)
    q->evidence = DLG_EVIDENCE_NONE;
  else if (strcmp (evidence, "optional") == 0)
    q->evidence = DLG_EVIDENCE_OPTIONAL;
  else if (strcmp (evidence, "required") == 0)
    q->evidence = DLG_EVIDENCE_REQUIRED;
  else
    diag (l, DLG_SEVERITY_ERROR, "evidence",
          _("Unknown evidence expectation “%s” (expected none, optional or required)"), evidence);

  if (q->type == DLG_QUESTION_YES_NO)
    {
      add_yes_no_options (l, q,
                          get_boolean (l, o, "partly", FALSE),
                          get_boolean (l, o, "not_applicable", FALSE),
                          get_boolean (l, o, "inverted", FALSE));
    }
  else
    {
      warn_inapplicable (l, o, "partly", _("yes/no"));
      warn_inapplicable (l, o, "not_applicable", _("yes/no"));
      warn_inapplicable (l, o, "inverted", _("yes/no"));
    }

  if (dlg_question_is_choice (q))
    parse_options (l, o, q);
  else
    warn_inapplicable (l, o, "options", _("choice and yes/no"));

  if (q->type == DLG_QUESTION_NUMBER)
    {
      q->unit = get_text (l, o, "unit", FALSE);
      q->has_min = get_number (l, o, "min", &q->min);
      q->has_max = get_number (l, o, "max", &q->max);
      q->integer = get_boolean (l, o, "integer", FALSE);
      if (q->has_min && q->has_max && q->min > q->max)
        diag (l, DLG_SEVERITY_ERROR, "min",
              _("“min” (%g) is greater than “max” (%g)"), q->min, q->max);
      parse_bands (l, o, q);
    }
  else
    {
      const char *number_only[] = { "unit", "min", "max", "integer", "bands" };

      for (guint i = 0; i < G_N_ELEMENTS (number_only); i++)
        warn_inapplicable (l, o, number_only[i], _("number"));
    }

  /* The best an answer can score, against which points become a percentage. */
  q->max_points = 0;
  for (guint i = 0; i < q->options->len; i++)
    {
      DlgOption *option = g_ptr_array_index (q->options, i);

      if (option->level != DLG_LEVEL_GREY)
        q->max_points = MAX (q->max_points, option->points);
    }
  for (guint i = 0; i < q->bands->len; i++)
    {
      DlgBand *band = &g_array_index (q->bands, DlgBand, i);

      if (band->level != DLG_LEVEL_GREY)
        q->max_points = MAX (q->max_points, band->points);
    }

  if (dlg_question_is_scored (q))
    {
      gboolean any_colour = FALSE;
      gboolean any_red = FALSE;

      for (guint i = 0; i < q->options->len; i++)
        {
          DlgLevel level = ((DlgOption *) g_ptr_array_index (q->options, i))->level;
          any_colour |= dlg_level_is_colour (level);
          any_red |= level == DLG_LEVEL_RED;
        }
      for (guint i = 0; i < q->bands->len; i++)
        {
          DlgLevel level = g_array_index (q->bands, DlgBand, i).level;
          any_colour |= dlg_level_is_colour (level);
          any_red |= level == DLG_LEVEL_RED;
        }

      if (!any_colour && type_known && (q->options->len > 0 || q->bands->len > 0))
        diag (l, DLG_SEVERITY_WARNING, NULL,
              _("Every answer is grey: this question never counts towards a level"));
      if (q->critical && !any_red)
        diag (l, DLG_SEVERITY_WARNING, "critical",
              _("“critical” has no effect: no answer to this question is red"));
    }
  else if (q->critical)
    diag (l, DLG_SEVERITY_WARNING, "critical",
          _("“critical” has no effect on a question that is not scored"));

  return q;
}

static void
queue_condition (Loader     *l,
                 DlgJsonValue *o,
                 gpointer    owner,
                 gboolean    is_section)
{
  PendingCondition pc;
  DlgJsonValue *node = dlg_json_get (o, "visible_if");

  if (node == NULL)
    return;

  pc.owner = owner;
  pc.is_section = is_section;
  pc.node = node;
  pc.pointer = g_strdup_printf ("%s/visible_if", l->path->str);
  g_array_append_val (l->pending, pc);
}

static DlgSection *
parse_section (Loader     *l,
               DlgJsonValue *o)
{
  static const char * const keys[] = {
    "id", "title", "description", "weight", "scoring", "visible_if", "questions", NULL
  };
  DlgQuestionnaire *self = l->self;
  DlgSection *s = g_new0 (DlgSection, 1);
  DlgJsonValue *questions;

  s->questions = g_ptr_array_new ();
  s->index = self->sections->len;

  check_keys (l, o, keys, _("a section"));
  s->id = get_id (l, o, TRUE, s->index, G_MAXUINT);
  s->title = get_text (l, o, "title", TRUE);
  s->description = get_text (l, o, "description", FALSE);
  s->weight = get_non_negative (l, o, "weight", 1.0);
  parse_scoring (l, o, &s->scoring);
  queue_condition (l, o, s, TRUE);

  questions = get_array (l, o, "questions", TRUE);
  if (questions != NULL)
    {
      gsize mark = path_push_key (l, "questions");

      if (dlg_json_length (questions) == 0)
        diag (l, DLG_SEVERITY_ERROR, NULL, _("A section needs at least one question"));

      for (guint i = 0; i < dlg_json_length (questions); i++)
        {
          DlgJsonValue *node = dlg_json_index (questions, i);
          gsize mark2 = path_push_index (l, i);
          DlgQuestion *q;

          if (!dlg_json_is_object (node))
            {
              diag (l, DLG_SEVERITY_ERROR, NULL, _("A question must be an object, not %s"), dlg_json_type_name (node));
              path_pop (l, mark2);
              continue;
            }

          q = parse_question (l, node, s);
          q->index = self->questions->len;
          g_ptr_array_add (self->questions, q);
          g_ptr_array_add (s->questions, q);
          if (q->id != NULL)
            g_hash_table_insert (self->question_by_id, (gpointer) q->id, q);
          if (q->quick_scan)
            {
              s->n_quick_scan++;
              self->n_quick_scan++;
            }
          queue_condition (l, node, q, FALSE);
          path_pop (l, mark2);
        }

      path_pop (l, mark);
    }

  return s;
}

/* ------------------------------------------------------------------------ */
/* Conditions                                                               */
/* ------------------------------------------------------------------------ */

static guint
node_of_section (Loader     *l,
                 DlgSection *s)
{
  return l->self->questions->len + s->index;
}

static const char *
node_name (Loader *l,
           guint   node)
{
  guint nq = l->self->questions->len;

  if (node < nq)
    {
      DlgQuestion *q = g_ptr_array_index (l->self->questions, node);
      return q->id ? q->id : "?";
    }
  else
    {
      DlgSection *s = g_ptr_array_index (l->self->sections, node - nq);
      /* Returned strings live as long as the loader's scratch list. */
      char *name = g_strdup_printf (_("section %s"), s->id ? s->id : "?");
      g_ptr_array_add (l->scratch, name);
      return name;
    }
}

static gboolean
check_condition_value (Loader      *l,
                       DlgQuestion *target,
                       DlgJsonValue *value)
{
  switch (target->type)
    {
    case DLG_QUESTION_SINGLE_CHOICE:
    case DLG_QUESTION_MULTIPLE_CHOICE:
    case DLG_QUESTION_YES_NO:
      if (!node_is_string (value))
        {
          diag (l, DLG_SEVERITY_ERROR, NULL,
                _("“%s” is a choice question: compare it with an option id, not %s"),
                target->id, dlg_json_type_name (value));
          return FALSE;
        }
      if (dlg_question_lookup_option (target, (value)->string) == NULL)
        {
          diag (l, DLG_SEVERITY_ERROR, NULL,
                _("“%s” is not an option of question “%s”"),
                (value)->string, target->id);
          return FALSE;
        }
      return TRUE;

    case DLG_QUESTION_NUMBER:
      if (!node_is_number (value))
        {
          diag (l, DLG_SEVERITY_ERROR, NULL,
                _("“%s” is a number question: compare it with a number, not %s"),
                target->id, dlg_json_type_name (value));
          return FALSE;
        }
      return TRUE;

    case DLG_QUESTION_TEXT:
    case DLG_QUESTION_DATE:
    default:
      if (!node_is_string (value))
        {
          diag (l, DLG_SEVERITY_ERROR, NULL,
                _("“%s” takes text: compare it with a string, not %s"),
                target->id, dlg_json_type_name (value));
          return FALSE;
        }
      return TRUE;
    }
}

static DlgCondition *
parse_condition (Loader   *l,
                 DlgJsonValue *node,
                 guint     owner_node,
                 gboolean  owner_in_quick_scan,
                 guint     depth)
{
  static const char * const forms[] = { "question", "not", "all", "any", NULL };
  static const char * const question_keys[] = { "question", "equals", "any_of", "answered", NULL };
  g_autoptr(GPtrArray) present = g_ptr_array_new ();
  DlgCondition *cond;
  DlgJsonValue *o;

  if (depth > MAX_CONDITION_DEPTH)
    {
      diag (l, DLG_SEVERITY_ERROR, NULL,
            _("Conditions nest deeper than %d levels"), MAX_CONDITION_DEPTH);
      return NULL;
    }

  if (!dlg_json_is_object (node))
    {
      diag (l, DLG_SEVERITY_ERROR, NULL, _("A condition must be an object, not %s"), dlg_json_type_name (node));
      return NULL;
    }
  o = node;

  for (guint i = 0; forms[i]; i++)
    if ((dlg_json_get (o, forms[i]) != NULL))
      g_ptr_array_add (present, (gpointer) forms[i]);

  if (present->len != 1)
    {
      diag (l, DLG_SEVERITY_ERROR, NULL,
            _("A condition must have exactly one of “question”, “not”, “all” or “any”"));
      return NULL;
    }

  cond = g_new0 (DlgCondition, 1);

  if (strcmp (g_ptr_array_index (present, 0), "question") == 0)
    {
      const char *qid;
      DlgQuestion *target;
      guint n_tests;
      Edge edge;

      check_keys (l, o, question_keys, _("a condition"));

      if (!(qid = get_string (l, o, "question", TRUE)))
        goto fail;

      target = g_hash_table_lookup (l->self->question_by_id, qid);
      if (target == NULL)
        {
          if (g_hash_table_contains (l->self->section_by_id, qid))
            diag (l, DLG_SEVERITY_ERROR, "question",
                  _("“%s” is a section; a condition depends on the answer to a question"), qid);
          else
            diag (l, DLG_SEVERITY_ERROR, "question",
                  _("The condition refers to question “%s”, which does not exist"), qid);
          goto fail;
        }
      cond->question = target;

      edge.from = owner_node;
      edge.to = target->index;
      edge.pointer = g_strdup_printf ("%s/question", l->path->str);
      edge.in_cycle = FALSE;
      g_array_append_val (l->edges, edge);

      if (owner_in_quick_scan && !target->quick_scan)
        diag (l, DLG_SEVERITY_WARNING, "question",
              _("This depends on “%s”, which is not in the quick scan, so it stays hidden in a quick scan"),
              qid);

      n_tests = (dlg_json_get (o, "equals") != NULL) +
                (dlg_json_get (o, "any_of") != NULL) +
                (dlg_json_get (o, "answered") != NULL);
      if (n_tests != 1)
        {
          diag (l, DLG_SEVERITY_ERROR, NULL,
                _("A question condition needs exactly one of “equals”, “any_of” or “answered”"));
          goto fail;
        }

      if ((dlg_json_get (o, "equals") != NULL))
        {
          gsize mark = path_push_key (l, "equals");
          DlgJsonValue *value = dlg_json_get (o, "equals");

          cond->kind = DLG_CONDITION_EQUALS;
          cond->values = g_ptr_array_new ();
          if (check_condition_value (l, target, value))
            g_ptr_array_add (cond->values, value);
          path_pop (l, mark);
        }
      else if ((dlg_json_get (o, "any_of") != NULL))
        {
          DlgJsonValue *values = get_array (l, o, "any_of", TRUE);
          gsize mark;

          if (values == NULL)
            goto fail;

          cond->kind = DLG_CONDITION_ANY_OF;
          cond->values = g_ptr_array_new ();
          mark = path_push_key (l, "any_of");
          if (dlg_json_length (values) == 0)
            diag (l, DLG_SEVERITY_WARNING, NULL, _("“any_of” is empty, so the condition never holds"));
          for (guint i = 0; i < dlg_json_length (values); i++)
            {
              gsize mark2 = path_push_index (l, i);
              DlgJsonValue *value = dlg_json_index (values, i);

              if (check_condition_value (l, target, value))
                g_ptr_array_add (cond->values, value);
              path_pop (l, mark2);
            }
          path_pop (l, mark);
        }
      else
        {
          cond->kind = DLG_CONDITION_ANSWERED;
          cond->answered = get_boolean (l, o, "answered", TRUE);
        }

      return cond;
    }
  else
    {
      const char *form = g_ptr_array_index (present, 0);
      gsize mark = path_push_key (l, form);

      cond->children = g_ptr_array_new_with_free_func ((GDestroyNotify) condition_free);

      if (dlg_json_length (o) != 1)
        diag (l, DLG_SEVERITY_WARNING, NULL,
              _("Only “%s” is read in this condition; other members are ignored"), form);

      if (strcmp (form, "not") == 0)
        {
          DlgCondition *child;

          cond->kind = DLG_CONDITION_NOT;
          child = parse_condition (l, dlg_json_get (o, "not"), owner_node,
                                   owner_in_quick_scan, depth + 1);
          if (child == NULL)
            {
              path_pop (l, mark);
              goto fail;
            }
          g_ptr_array_add (cond->children, child);
        }
      else
        {
          DlgJsonValue *list = dlg_json_get (o, form);

          cond->kind = strcmp (form, "all") == 0 ? DLG_CONDITION_ALL : DLG_CONDITION_ANY;
          if (!dlg_json_is_array (list))
            {
              diag (l, DLG_SEVERITY_ERROR, NULL,
                    _("“%s” must be an array of conditions, not %s"), form, dlg_json_type_name (list));
              path_pop (l, mark);
              goto fail;
            }

          for (guint i = 0; i < dlg_json_length (list); i++)
            {
              gsize mark2 = path_push_index (l, i);
              DlgCondition *child;

              child = parse_condition (l, dlg_json_index (list, i),
                                       owner_node, owner_in_quick_scan, depth + 1);
              if (child != NULL)
                g_ptr_array_add (cond->children, child);
              path_pop (l, mark2);
            }
        }

      path_pop (l, mark);
      return cond;
    }

fail:
  condition_free (cond);
  return NULL;
}

/* Finds cycles among "depends on" edges with an iterative depth-first
 * search, so that a hostile file with a long chain cannot exhaust the stack.
 * Besides explicit conditions, every question depends on its section. */
static void
check_cycles (Loader *l)
{
  guint nq = l->self->questions->len;
  guint n = nq + l->self->sections->len;
  g_autofree guint *first_edge = g_new (guint, n + 1);
  g_autofree guint *adj = NULL;
  g_autofree guint8 *colour = g_new0 (guint8, n);  /* 0 new, 1 on stack, 2 done */
  g_autofree guint *next = g_new0 (guint, n);
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) via = g_array_new (FALSE, FALSE, sizeof (guint));
  const guint no_edge = G_MAXUINT;
  guint n_adj = l->edges->len + nq;
  g_autofree guint *fill = g_new0 (guint, n);

  /* Compressed adjacency: explicit edges (index < edges->len) then the
   * implicit question → section edges, encoded as edges->len + question. */
  memset (first_edge, 0, sizeof (guint) * (n + 1));
  for (guint i = 0; i < l->edges->len; i++)
    first_edge[g_array_index (l->edges, Edge, i).from + 1]++;
  for (guint i = 0; i < nq; i++)
    first_edge[i + 1]++;
  for (guint i = 0; i < n; i++)
    first_edge[i + 1] += first_edge[i];

  adj = g_new (guint, MAX (n_adj, 1));
  for (guint i = 0; i < l->edges->len; i++)
    {
      guint from = g_array_index (l->edges, Edge, i).from;
      adj[first_edge[from] + fill[from]++] = i;
    }
  for (guint i = 0; i < nq; i++)
    adj[first_edge[i] + fill[i]++] = l->edges->len + i;

  for (guint root = 0; root < n; root++)
    {
      if (colour[root] != 0)
        continue;

      colour[root] = 1;
      g_array_append_val (stack, root);
      g_array_append_val (via, no_edge);

      while (stack->len > 0)
        {
          guint u = g_array_index (stack, guint, stack->len - 1);

          if (next[u] < first_edge[u + 1] - first_edge[u])
            {
              guint e = adj[first_edge[u] + next[u]++];
              guint v;

              if (e < l->edges->len)
                v = g_array_index (l->edges, Edge, e).to;
              else
                v = node_of_section (l, ((DlgQuestion *) g_ptr_array_index (l->self->questions, e - l->edges->len))->section);

              if (colour[v] == 0)
                {
                  colour[v] = 1;
                  g_array_append_val (stack, v);
                  g_array_append_val (via, e);
                }
              else if (colour[v] == 1)
                {
                  /* A back edge closes a cycle: v … u → v. */
                  GString *desc = g_string_new (NULL);
                  guint start = stack->len;
                  const char *pointer = NULL;

                  while (start > 0 && g_array_index (stack, guint, start - 1) != v)
                    start--;
                  start = start > 0 ? start - 1 : 0;

                  for (guint k = start; k < stack->len; k++)
                    g_string_append_printf (desc, "%s → ", node_name (l, g_array_index (stack, guint, k)));
                  g_string_append (desc, node_name (l, v));

                  /* Mark the explicit edges on the cycle, so that they are
                   * not also reported as "comes later". via[k] is the edge
                   * that led to stack[k]. */
                  for (guint k = start; k <= stack->len; k++)
                    {
                      guint x = k < stack->len ? g_array_index (via, guint, k) : e;

                      if (k == start && k < stack->len)
                        continue;
                      if (x < l->edges->len)
                        {
                          Edge *edge = &g_array_index (l->edges, Edge, x);
                          edge->in_cycle = TRUE;
                          pointer = edge->pointer;
                        }
                    }

                  if (u == v)
                    g_ptr_array_add (l->diagnostics,
                                     dlg_diagnostic_new (DLG_SEVERITY_ERROR, pointer,
                                                         _("The condition depends on the question itself")));
                  else
                    {
                      g_autofree char *message = g_strdup_printf (_("Condition cycle: %s"), desc->str);
                      g_ptr_array_add (l->diagnostics,
                                       dlg_diagnostic_new (DLG_SEVERITY_ERROR, pointer, message));
                    }
                  l->n_errors++;
                  g_string_free (desc, TRUE);
                }
            }
          else
            {
              colour[u] = 2;
              g_array_set_size (stack, stack->len - 1);
              g_array_set_size (via, via->len - 1);
            }
        }
    }
}

static void
resolve_conditions (Loader *l)
{
  DlgQuestionnaire *self = l->self;
  guint nq = self->questions->len;
  guint order = 0;

  /* Document order: a section comes before its questions. */
  l->order = g_new0 (guint, nq + self->sections->len);
  for (guint i = 0; i < self->sections->len; i++)
    {
      DlgSection *s = g_ptr_array_index (self->sections, i);

      l->order[node_of_section (l, s)] = order++;
      for (guint j = 0; j < s->questions->len; j++)
        l->order[((DlgQuestion *) g_ptr_array_index (s->questions, j))->index] = order++;
    }

  for (guint i = 0; i < l->pending->len; i++)
    {
      PendingCondition *pc = &g_array_index (l->pending, PendingCondition, i);
      guint owner_node;
      gboolean in_quick_scan;
      DlgCondition *cond;
      gsize mark = l->path->len;

      if (pc->is_section)
        {
          DlgSection *s = pc->owner;
          owner_node = node_of_section (l, s);
          in_quick_scan = s->n_quick_scan > 0;
        }
      else
        {
          DlgQuestion *q = pc->owner;
          owner_node = q->index;
          in_quick_scan = q->quick_scan;
        }

      g_string_assign (l->path, pc->pointer);
      cond = parse_condition (l, pc->node, owner_node, in_quick_scan, 1);
      g_string_truncate (l->path, mark);

      if (pc->is_section)
        ((DlgSection *) pc->owner)->visible_if = cond;
      else
        ((DlgQuestion *) pc->owner)->visible_if = cond;
    }

  check_cycles (l);

  for (guint i = 0; i < l->edges->len; i++)
    {
      Edge *edge = &g_array_index (l->edges, Edge, i);

      if (edge->in_cycle || l->order[edge->to] < l->order[edge->from])
        continue;

      if (edge->from >= nq)
        {
          DlgQuestion *target = g_ptr_array_index (self->questions, edge->to);
          g_autofree char *message = NULL;

          if (target->section == g_ptr_array_index (self->sections, edge->from - nq))
            message = g_strdup_printf (_("The section's condition depends on “%s”, one of its own questions"),
                                       target->id);
          else
            message = g_strdup_printf (_("The condition refers to question “%s”, which comes later; a condition may only depend on earlier answers"),
                                       target->id);
          g_ptr_array_add (l->diagnostics, dlg_diagnostic_new (DLG_SEVERITY_ERROR, edge->pointer, message));
        }
      else
        {
          g_autofree char *message =
            g_strdup_printf (_("The condition refers to question “%s”, which comes later; a condition may only depend on earlier answers"),
                             node_name (l, edge->to));
          g_ptr_array_add (l->diagnostics, dlg_diagnostic_new (DLG_SEVERITY_ERROR, edge->pointer, message));
        }
      l->n_errors++;
    }
}

/* ------------------------------------------------------------------------ */
/* Top level                                                                */
/* ------------------------------------------------------------------------ */

static void
parse_root (Loader     *l,
            DlgJsonValue *root)
{
  static const char * const keys[] = {
    "format", "id", "version", "kind", "default_language", "languages", "title",
    "description", "publisher", "scoring", "sections", NULL
  };
  DlgQuestionnaire *self = l->self;
  const char *format, *id, *version, *kind, *default_language;
  DlgJsonValue *languages, *sections;

  check_keys (l, root, keys, _("the questionnaire"));

  format = get_string (l, root, "format", TRUE);
  if (format != NULL && strcmp (format, DLG_QUESTIONNAIRE_FORMAT) != 0)
    diag (l, DLG_SEVERITY_ERROR, "format",
          _("This is not a Diligence questionnaire: “format” is “%s”, expected “%s”"),
          format, DLG_QUESTIONNAIRE_FORMAT);

  id = get_string (l, root, "id", TRUE);
  if (id != NULL && !is_valid_id (id))
    diag (l, DLG_SEVERITY_ERROR, "id",
          _("“%s” is not a valid id: use 1 to %d letters, digits, “-”, “_” or “.”, starting with a letter or digit"),
          id, MAX_ID_LENGTH);
  self->id = g_strdup (id);

  version = get_string (l, root, "version", TRUE);
  if (version != NULL && *version == '\0')
    diag (l, DLG_SEVERITY_ERROR, "version", _("“version” is empty"));
  self->version = g_strdup (version);

  kind = get_string (l, root, "kind", TRUE);
  if (g_strcmp0 (kind, "due-diligence") == 0)
    self->kind = DLG_KIND_DUE_DILIGENCE;
  else if (g_strcmp0 (kind, "charter") == 0)
    self->kind = DLG_KIND_CHARTER;
  else if (g_strcmp0 (kind, "custom") == 0)
    self->kind = DLG_KIND_CUSTOM;
  else if (kind != NULL)
    diag (l, DLG_SEVERITY_ERROR, "kind",
          _("Unknown kind “%s” (expected due-diligence, charter or custom)"), kind);

  default_language = get_string (l, root, "default_language", TRUE);
  if (default_language != NULL && !is_valid_language (default_language))
    {
      diag (l, DLG_SEVERITY_ERROR, "default_language",
            _("“%s” is not a language code such as “en” or “fr-BE”"), default_language);
      default_language = NULL;
    }
  self->default_language = g_strdup (default_language ? default_language : "en");

  languages = get_array (l, root, "languages", TRUE);
  if (languages != NULL)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
      gsize mark = path_push_key (l, "languages");

      for (guint i = 0; i < dlg_json_length (languages); i++)
        {
          DlgJsonValue *node = dlg_json_index (languages, i);
          const char *code;
          gsize mark2 = path_push_index (l, i);

          if (!node_is_string (node))
            diag (l, DLG_SEVERITY_ERROR, NULL, _("A language must be a string, not %s"), dlg_json_type_name (node));
          else if (!is_valid_language ((code = (node)->string)))
            diag (l, DLG_SEVERITY_ERROR, NULL, _("“%s” is not a language code such as “en” or “fr-BE”"), code);
          else if (g_hash_table_contains (seen, code))
            diag (l, DLG_SEVERITY_WARNING, NULL, _("Language “%s” is listed twice"), code);
          else
            {
              g_hash_table_add (seen, (gpointer) code);
              g_strv_builder_add (builder, code);
            }
          path_pop (l, mark2);
        }
      path_pop (l, mark);

      self->languages = g_strv_builder_end (builder);
      if (default_language != NULL &&
          !g_strv_contains ((const char * const *) self->languages, default_language))
        diag (l, DLG_SEVERITY_ERROR, "languages",
              _("“languages” must include the default language “%s”"), default_language);
    }

  self->title = get_text (l, root, "title", TRUE);
  self->description = get_text (l, root, "description", FALSE);
  self->publisher = get_text (l, root, "publisher", TRUE);
  parse_scoring (l, root, &self->scoring);

  sections = get_array (l, root, "sections", TRUE);
  if (sections != NULL)
    {
      gsize mark = path_push_key (l, "sections");

      if (dlg_json_length (sections) == 0)
        diag (l, DLG_SEVERITY_ERROR, NULL, _("A questionnaire needs at least one section"));

      for (guint i = 0; i < dlg_json_length (sections); i++)
        {
          DlgJsonValue *node = dlg_json_index (sections, i);
          gsize mark2 = path_push_index (l, i);
          DlgSection *s;

          if (!dlg_json_is_object (node))
            {
              diag (l, DLG_SEVERITY_ERROR, NULL, _("A section must be an object, not %s"), dlg_json_type_name (node));
              path_pop (l, mark2);
              continue;
            }

          s = parse_section (l, node);
          g_ptr_array_add (self->sections, s);
          if (s->id != NULL)
            g_hash_table_insert (self->section_by_id, (gpointer) s->id, s);
          path_pop (l, mark2);
        }

      path_pop (l, mark);
    }

  resolve_conditions (l);
}

/**
 * dlg_questionnaire_new_from_bytes:
 * @bytes: the file's contents
 * @diagnostics: (nullable): a #GPtrArray from dlg_diagnostics_new() that
 *   receives every error and warning, in the order found
 * @error: a #GError
 *
 * Parses and validates a questionnaire. Warnings do not prevent loading.
 *
 * Returns: (transfer full): the questionnaire, or %NULL with @error set
 *   (%DLG_QUESTIONNAIRE_ERROR_SYNTAX or %DLG_QUESTIONNAIRE_ERROR_INVALID) and
 *   the details in @diagnostics
 */
DlgQuestionnaire *
dlg_questionnaire_new_from_bytes (GBytes     *bytes,
                                  GPtrArray  *diagnostics,
                                  GError    **error)
{
  g_autoptr(DlgQuestionnaire) self = NULL;
  g_autoptr(GPtrArray) local_diagnostics = NULL;
  g_autoptr(DlgJsonDoc) doc = NULL;
  g_autoptr(GError) json_error = NULL;
  g_autoptr(GString) path = NULL;
  DlgJsonValue *root;
  g_autoptr(GHashTable) id_pointers = NULL;
  Loader l = { 0 };
  const char *data;
  gsize length;
  guint line, column;

  g_return_val_if_fail (bytes != NULL, NULL);

  if (diagnostics == NULL)
    diagnostics = local_diagnostics = dlg_diagnostics_new ();

  data = g_bytes_get_data (bytes, &length);
  doc = dlg_json_doc_parse (data, length, &line, &column, &json_error);
  if (doc == NULL)
    {
      DlgDiagnostic *d = dlg_diagnostic_new (DLG_SEVERITY_ERROR, NULL, json_error->message);

      d->line = line;
      d->column = column;
      g_ptr_array_add (diagnostics, d);
      if (line > 0)
        g_set_error (error, DLG_QUESTIONNAIRE_ERROR, DLG_QUESTIONNAIRE_ERROR_SYNTAX,
                     _("Line %u, column %u: %s"), line, column, json_error->message);
      else
        g_set_error_literal (error, DLG_QUESTIONNAIRE_ERROR, DLG_QUESTIONNAIRE_ERROR_SYNTAX,
                             json_error->message);
      return NULL;
    }

  root = dlg_json_doc_get_root (doc);
  if (!dlg_json_is_object (root))
    {
      g_autofree char *message = g_strdup_printf (_("A questionnaire must be a JSON object, not %s"),
                                                  dlg_json_type_name (root));

      g_ptr_array_add (diagnostics, dlg_diagnostic_new (DLG_SEVERITY_ERROR, "", message));
      g_set_error_literal (error, DLG_QUESTIONNAIRE_ERROR, DLG_QUESTIONNAIRE_ERROR_INVALID, message);
      return NULL;
    }

  self = g_object_new (DLG_TYPE_QUESTIONNAIRE, NULL);
  self->bytes = g_bytes_ref (bytes);
  /* Condition values point into the document. */
  self->doc = dlg_json_doc_ref (doc);

  path = g_string_new (NULL);
  id_pointers = g_hash_table_new (g_str_hash, g_str_equal);
  l.self = self;
  l.doc = doc;
  l.diagnostics = diagnostics;
  l.path = path;
  l.id_pointers = id_pointers;
  l.pending = g_array_new (FALSE, FALSE, sizeof (PendingCondition));
  l.edges = g_array_new (FALSE, FALSE, sizeof (Edge));
  l.scratch = g_ptr_array_new_with_free_func (g_free);
  l.interned = g_ptr_array_new ();

  parse_root (&l, root);

  for (guint i = 0; i < l.pending->len; i++)
    {
      PendingCondition *pc = &g_array_index (l.pending, PendingCondition, i);
      g_free (pc->pointer);
    }
  for (guint i = 0; i < l.edges->len; i++)
    g_free (g_array_index (l.edges, Edge, i).pointer);
  g_array_unref (l.pending);
  g_array_unref (l.edges);
  g_free (l.order);
  g_ptr_array_unref (l.scratch);
  g_ptr_array_unref (l.interned);

  if (l.n_errors > 0)
    {
      const DlgDiagnostic *first = NULL;
      g_autofree char *first_text = NULL;

      for (guint i = 0; i < diagnostics->len && first == NULL; i++)
        if (((DlgDiagnostic *) g_ptr_array_index (diagnostics, i))->severity == DLG_SEVERITY_ERROR)
          first = g_ptr_array_index (diagnostics, i);
      g_assert (first != NULL);
      first_text = dlg_diagnostic_format (first, NULL);

      if (l.n_errors == 1)
        g_set_error_literal (error, DLG_QUESTIONNAIRE_ERROR, DLG_QUESTIONNAIRE_ERROR_INVALID,
                             first->message);
      else
        g_set_error (error, DLG_QUESTIONNAIRE_ERROR, DLG_QUESTIONNAIRE_ERROR_INVALID,
                     g_dngettext (GETTEXT_PACKAGE, "%s (and %u more error)", "%s (and %u more errors)",
                                  l.n_errors - 1),
                     first->message, l.n_errors - 1);
      return NULL;
    }

  return g_steal_pointer (&self);
}

DlgQuestionnaire *
dlg_questionnaire_new_from_data (const char  *data,
                                 gsize        length,
                                 GPtrArray   *diagnostics,
                                 GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, length);

  return dlg_questionnaire_new_from_bytes (bytes, diagnostics, error);
}

/* ------------------------------------------------------------------------ */
/* Accessors                                                                */
/* ------------------------------------------------------------------------ */

const char *
dlg_questionnaire_get_id (DlgQuestionnaire *self)
{
  g_return_val_if_fail (DLG_IS_QUESTIONNAIRE (self), NULL);
  return self->id;
}

const char *
dlg_questionnaire_get_version (DlgQuestionnaire *self)
{
  g_return_val_if_fail (DLG_IS_QUESTIONNAIRE (self), NULL);
  return self->version;
}

DlgKind
dlg_questionnaire_get_kind (DlgQuestionnaire *self)
{
  g_return_val_if_fail (DLG_IS_QUESTIONNAIRE (self), DLG_KIND_CUSTOM);
  return self->kind;
}

const char *
dlg_questionnaire_get_default_language (DlgQuestionnaire *self)
{
  g_return_val_if_fail (DLG_IS_QUESTIONNAIRE (self), NULL);
  return self->default_language;
}

const char * const *
dlg_questionnaire_get_languages (DlgQuestionnaire *self)
{
  g_return_val_if_fail (DLG_IS_QUESTIONNAIRE (self), NULL);
  return (const char * const *) self->languages;
}

const DlgText *
dlg_questionnaire_get_title (DlgQuestionnaire *self)
{
  g_return_val_if_fail (DLG_IS_QUESTIONNAIRE (self), NULL);
  return self->title;
}

const DlgText *
dlg_questionnaire_get_description (DlgQuestionnaire *self)
{
  g_return_val_if_fail (DLG_IS_QUESTIONNAIRE (self), NULL);
  return self->description;
}

const DlgText *
dlg_questionnaire_get_publisher (DlgQuestionnaire *self)
{
  g_return_val_if_fail (DLG_IS_QUESTIONNAIRE (self), NULL);
  return self->publisher;
}

const DlgScoring *
dlg_questionnaire_get_scoring (DlgQuestionnaire *self)
{
  g_return_val_if_fail (DLG_IS_QUESTIONNAIRE (self), NULL);
  return &self->scoring;
}

/**
 * dlg_questionnaire_get_checksum:
 *
 * Returns: the SHA-256 of the file's exact bytes, in lower-case hex, which
 *   a report records so that anyone can check which questionnaire was used
 */
const char *
dlg_questionnaire_get_checksum (DlgQuestionnaire *self)
{
  g_return_val_if_fail (DLG_IS_QUESTIONNAIRE (self), NULL);

  /* Computed when first asked: hashing a large file is a good part of
   * loading it, and most loads never need it. */
  if (self->checksum == NULL)
    self->checksum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, self->bytes);
  return self->checksum;
}

/**
 * dlg_questionnaire_get_bytes:
 *
 * Returns: (transfer none): the file's exact bytes
 */
GBytes *
dlg_questionnaire_get_bytes (DlgQuestionnaire *self)
{
  g_return_val_if_fail (DLG_IS_QUESTIONNAIRE (self), NULL);
  return self->bytes;
}

guint
dlg_questionnaire_get_n_sections (DlgQuestionnaire *self)
{
  g_return_val_if_fail (DLG_IS_QUESTIONNAIRE (self), 0);
  return self->sections->len;
}

DlgSection *
dlg_questionnaire_get_section (DlgQuestionnaire *self,
                               guint             index)
{
  g_return_val_if_fail (DLG_IS_QUESTIONNAIRE (self), NULL);
  g_return_val_if_fail (index < self->sections->len, NULL);
  return g_ptr_array_index (self->sections, index);
}

guint
dlg_questionnaire_get_n_questions (DlgQuestionnaire *self)
{
  g_return_val_if_fail (DLG_IS_QUESTIONNAIRE (self), 0);
  return self->questions->len;
}

DlgQuestion *
dlg_questionnaire_get_question (DlgQuestionnaire *self,
                                guint             index)
{
  g_return_val_if_fail (DLG_IS_QUESTIONNAIRE (self), NULL);
  g_return_val_if_fail (index < self->questions->len, NULL);
  return g_ptr_array_index (self->questions, index);
}

DlgQuestion *
dlg_questionnaire_lookup_question (DlgQuestionnaire *self,
                                   const char       *id)
{
  g_return_val_if_fail (DLG_IS_QUESTIONNAIRE (self), NULL);
  return id ? g_hash_table_lookup (self->question_by_id, id) : NULL;
}

DlgSection *
dlg_questionnaire_lookup_section (DlgQuestionnaire *self,
                                  const char       *id)
{
  g_return_val_if_fail (DLG_IS_QUESTIONNAIRE (self), NULL);
  return id ? g_hash_table_lookup (self->section_by_id, id) : NULL;
}

guint
dlg_questionnaire_get_n_quick_scan (DlgQuestionnaire *self)
{
  g_return_val_if_fail (DLG_IS_QUESTIONNAIRE (self), 0);
  return self->n_quick_scan;
}

const char *
dlg_kind_to_string (DlgKind kind)
{
  switch (kind)
    {
    case DLG_KIND_DUE_DILIGENCE: return "due-diligence";
    case DLG_KIND_CHARTER: return "charter";
    case DLG_KIND_CUSTOM:
    default:
      return "custom";
    }
}

const char *
dlg_kind_get_label (DlgKind kind)
{
  switch (kind)
    {
    case DLG_KIND_DUE_DILIGENCE: return _("Due diligence");
    case DLG_KIND_CHARTER: return _("Charter");
    case DLG_KIND_CUSTOM:
    default:
      return _("Checklist");
    }
}

const char *
dlg_question_type_to_string (DlgQuestionType type)
{
  for (guint i = 0; i < G_N_ELEMENTS (question_types); i++)
    if (question_types[i].type == type)
      return question_types[i].name;
  g_return_val_if_reached (NULL);
}

gboolean
dlg_question_is_choice (const DlgQuestion *question)
{
  return question->type == DLG_QUESTION_SINGLE_CHOICE ||
         question->type == DLG_QUESTION_MULTIPLE_CHOICE ||
         question->type == DLG_QUESTION_YES_NO;
}

/**
 * dlg_question_is_scored:
 *
 * Returns: whether answers to @question have a level: choice questions
 *   always do, number questions when they have bands
 */
gboolean
dlg_question_is_scored (const DlgQuestion *question)
{
  return dlg_question_is_choice (question) ||
         (question->type == DLG_QUESTION_NUMBER && question->bands->len > 0);
}

const DlgOption *
dlg_question_lookup_option (const DlgQuestion *question,
                            const char        *option_id)
{
  if (option_id == NULL)
    return NULL;

  for (guint i = 0; i < question->options->len; i++)
    {
      const DlgOption *option = g_ptr_array_index (question->options, i);

      if (strcmp (option->id, option_id) == 0)
        return option;
    }
  return NULL;
}

/**
 * dlg_option_get_label:
 * @language: (nullable): the language to show
 *
 * Returns the option's label; yes/no options without an author's label use
 * the built-in words, which exist in every language Diligence ships, so
 * that a report rendered in Dutch says "Ja" whatever the UI language.
 */
const char *
dlg_option_get_label (const DlgOption *option,
                      const char      *language)
{
  static const struct {
    const char *id;
    const char *en, *fr, *nl, *de;
  } builtin[] = {
    { "yes", "Yes", "Oui", "Ja", "Ja" },
    { "no", "No", "Non", "Nee", "Nein" },
    { "partly", "Partly", "En partie", "Gedeeltelijk", "Teilweise" },
    { "na", "Not applicable", "Sans objet", "Niet van toepassing", "Nicht zutreffend" },
  };

  if (option->label != NULL)
    return dlg_text_get (option->label, language);

  for (guint i = 0; i < G_N_ELEMENTS (builtin); i++)
    if (strcmp (option->id, builtin[i].id) == 0)
      {
        if (language == NULL)
          return builtin[i].en;
        if (g_str_has_prefix (language, "fr"))
          return builtin[i].fr;
        if (g_str_has_prefix (language, "nl"))
          return builtin[i].nl;
        if (g_str_has_prefix (language, "de"))
          return builtin[i].de;
        return builtin[i].en;
      }

  return option->id;
}
