/* dlg-assessment.c - the answers given to one questionnaire
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An assessment only ever holds values its questionnaire accepts: every
 * setter checks the value against the question, so that evaluation, storage
 * and reports never meet an answer they cannot interpret.
 */

#define G_LOG_DOMAIN "dlg-assessment"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dlg-assessment.h"
#include "dlg-diagnostic.h"
#include "dlg-json.h"

struct _DlgAssessment
{
  GObject           parent_instance;

  DlgQuestionnaire *questionnaire;
  DlgAnswer       **answers;       /* indexed by question index, NULL if none */
  guint             n_answers;
  guint             revision;
};

G_DEFINE_FINAL_TYPE (DlgAssessment, dlg_assessment, G_TYPE_OBJECT)

G_DEFINE_QUARK (dlg-assessment-error-quark, dlg_assessment_error)

enum {
  PROP_0,
  PROP_QUESTIONNAIRE,
  PROP_REVISION,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
evidence_ref_free (DlgEvidenceRef *ref)
{
  g_free (ref->name);
  g_free (ref->sha256);
  g_free (ref);
}

/* Frees the value's data; has_value is left to set_has_value(), which
 * keeps the count of answered questions. */
static void
answer_clear_value (DlgAnswer *answer)
{
  g_clear_pointer (&answer->string, g_free);
  g_clear_pointer (&answer->choices, g_ptr_array_unref);
  answer->number = 0;
}

static void
answer_free (DlgAnswer *answer)
{
  if (answer == NULL)
    return;
  answer_clear_value (answer);
  g_free (answer->comment);
  g_clear_pointer (&answer->evidence, g_ptr_array_unref);
  g_free (answer);
}

static void
dlg_assessment_finalize (GObject *object)
{
  DlgAssessment *self = (DlgAssessment *)object;

  if (self->answers != NULL)
    for (guint i = 0; i < dlg_questionnaire_get_n_questions (self->questionnaire); i++)
      answer_free (self->answers[i]);
  g_clear_pointer (&self->answers, g_free);
  g_clear_object (&self->questionnaire);

  G_OBJECT_CLASS (dlg_assessment_parent_class)->finalize (object);
}

static void
dlg_assessment_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DlgAssessment *self = DLG_ASSESSMENT (object);

  switch (prop_id)
    {
    case PROP_QUESTIONNAIRE:
      g_value_set_object (value, self->questionnaire);
      break;
    case PROP_REVISION:
      g_value_set_uint (value, self->revision);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dlg_assessment_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  DlgAssessment *self = DLG_ASSESSMENT (object);

  switch (prop_id)
    {
    case PROP_QUESTIONNAIRE:
      self->questionnaire = g_value_dup_object (value);
      self->answers = g_new0 (DlgAnswer *, dlg_questionnaire_get_n_questions (self->questionnaire));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dlg_assessment_class_init (DlgAssessmentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dlg_assessment_finalize;
  object_class->get_property = dlg_assessment_get_property;
  object_class->set_property = dlg_assessment_set_property;

  properties[PROP_QUESTIONNAIRE] =
    g_param_spec_object ("questionnaire", NULL, NULL,
                         DLG_TYPE_QUESTIONNAIRE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * DlgAssessment:revision:
   *
   * Grows by one with every change, so that views and the store can tell
   * cheaply whether what they show or saved is current.
   */
  properties[PROP_REVISION] =
    g_param_spec_uint ("revision", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DlgAssessment::changed:
   * @question_id: the question whose answer, comment or evidence changed
   *
   * Detailed by the question id.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
dlg_assessment_init (DlgAssessment *self)
{
}

/**
 * dlg_assessment_new:
 * @questionnaire: the questionnaire, in the exact version answered
 *
 * Returns: (transfer full): an assessment with no answers
 */
DlgAssessment *
dlg_assessment_new (DlgQuestionnaire *questionnaire)
{
  g_return_val_if_fail (DLG_IS_QUESTIONNAIRE (questionnaire), NULL);

  return g_object_new (DLG_TYPE_ASSESSMENT, "questionnaire", questionnaire, NULL);
}

DlgQuestionnaire *
dlg_assessment_get_questionnaire (DlgAssessment *self)
{
  g_return_val_if_fail (DLG_IS_ASSESSMENT (self), NULL);
  return self->questionnaire;
}

guint
dlg_assessment_get_revision (DlgAssessment *self)
{
  g_return_val_if_fail (DLG_IS_ASSESSMENT (self), 0);
  return self->revision;
}

/**
 * dlg_assessment_get_answer:
 *
 * Returns: (nullable): the answer to @question_id, or %NULL if there is
 *   none (no value, comment nor evidence)
 */
const DlgAnswer *
dlg_assessment_get_answer (DlgAssessment *self,
                           const char    *question_id)
{
  DlgQuestion *q;

  g_return_val_if_fail (DLG_IS_ASSESSMENT (self), NULL);

  q = dlg_questionnaire_lookup_question (self->questionnaire, question_id);
  return q ? self->answers[q->index] : NULL;
}

/**
 * dlg_assessment_get_n_answers:
 *
 * Returns: how many questions have an answer with a value
 */
guint
dlg_assessment_get_n_answers (DlgAssessment *self)
{
  g_return_val_if_fail (DLG_IS_ASSESSMENT (self), 0);
  return self->n_answers;
}

static DlgQuestion *
lookup (DlgAssessment  *self,
        const char     *question_id,
        GError        **error)
{
  DlgQuestion *q = dlg_questionnaire_lookup_question (self->questionnaire, question_id);

  if (q == NULL)
    g_set_error (error, DLG_ASSESSMENT_ERROR, DLG_ASSESSMENT_ERROR_UNKNOWN_QUESTION,
                 _("The questionnaire has no question “%s”"), question_id ? question_id : "");
  return q;
}

static DlgAnswer *
ensure_answer (DlgAssessment *self,
               DlgQuestion   *q)
{
  if (self->answers[q->index] == NULL)
    {
      DlgAnswer *answer = g_new0 (DlgAnswer, 1);

      answer->question = q;
      self->answers[q->index] = answer;
    }
  return self->answers[q->index];
}

static void
emit_changed (DlgAssessment *self,
              DlgQuestion   *q)
{
  DlgAnswer *answer = self->answers[q->index];

  /* An answer with nothing left in it is no answer. */
  if (answer != NULL && !answer->has_value && answer->comment == NULL &&
      (answer->evidence == NULL || answer->evidence->len == 0))
    g_clear_pointer (&self->answers[q->index], answer_free);

  self->revision++;
  g_signal_emit (self, signals[CHANGED], g_quark_from_string (q->id), q->id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVISION]);
}

static void
set_has_value (DlgAssessment *self,
               DlgAnswer     *answer,
               gboolean       has_value)
{
  if (answer->has_value && !has_value)
    self->n_answers--;
  else if (!answer->has_value && has_value)
    self->n_answers++;
  answer->has_value = has_value;
}

static gboolean
wrong_type (DlgQuestion  *q,
            const char   *expected,
            GError      **error)
{
  g_set_error (error, DLG_ASSESSMENT_ERROR, DLG_ASSESSMENT_ERROR_INVALID_VALUE,
               _("Question “%s” takes %s"), q->id, expected);
  return FALSE;
}

static gboolean
check_choice (DlgQuestion  *q,
              const char   *option_id,
              GError      **error)
{
  if (dlg_question_lookup_option (q, option_id) == NULL)
    {
      g_set_error (error, DLG_ASSESSMENT_ERROR, DLG_ASSESSMENT_ERROR_INVALID_VALUE,
                   _("“%s” is not an option of question “%s”"), option_id, q->id);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_number (DlgQuestion  *q,
              double        number,
              GError      **error)
{
  if (!isfinite (number))
    return wrong_type (q, _("a finite number"), error);
  if (q->has_min && number < q->min)
    {
      g_set_error (error, DLG_ASSESSMENT_ERROR, DLG_ASSESSMENT_ERROR_INVALID_VALUE,
                   _("%g is below the minimum of %g for question “%s”"), number, q->min, q->id);
      return FALSE;
    }
  if (q->has_max && number > q->max)
    {
      g_set_error (error, DLG_ASSESSMENT_ERROR, DLG_ASSESSMENT_ERROR_INVALID_VALUE,
                   _("%g is above the maximum of %g for question “%s”"), number, q->max, q->id);
      return FALSE;
    }
  if (q->integer && number != floor (number))
    {
      g_set_error (error, DLG_ASSESSMENT_ERROR, DLG_ASSESSMENT_ERROR_INVALID_VALUE,
                   _("Question “%s” takes a whole number"), q->id);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_date (DlgQuestion  *q,
            const char   *iso_date,
            GError      **error)
{
  guint y, m, d;
  char extra;

  if (iso_date == NULL || strlen (iso_date) != 10 ||
      sscanf (iso_date, "%4u-%2u-%2u%c", &y, &m, &d, &extra) != 3 ||
      iso_date[4] != '-' || iso_date[7] != '-' ||
      !g_ascii_isdigit (iso_date[0]) || !g_ascii_isdigit (iso_date[5]) || !g_ascii_isdigit (iso_date[8]) ||
      !g_date_valid_dmy (d, m, y))
    {
      g_set_error (error, DLG_ASSESSMENT_ERROR, DLG_ASSESSMENT_ERROR_INVALID_VALUE,
                   _("Question “%s” takes a date written YYYY-MM-DD, such as 2026-03-31"), q->id);
      return FALSE;
    }
  return TRUE;
}

gboolean
dlg_assessment_set_choice (DlgAssessment  *self,
                           const char     *question_id,
                           const char     *option_id,
                           GError        **error)
{
  DlgQuestion *q;
  DlgAnswer *answer;

  g_return_val_if_fail (DLG_IS_ASSESSMENT (self), FALSE);

  if (!(q = lookup (self, question_id, error)))
    return FALSE;
  if (q->type != DLG_QUESTION_SINGLE_CHOICE && q->type != DLG_QUESTION_YES_NO)
    return wrong_type (q, _("a single option"), error);
  if (!check_choice (q, option_id, error))
    return FALSE;

  answer = ensure_answer (self, q);
  answer_clear_value (answer);
  answer->string = g_strdup (option_id);
  set_has_value (self, answer, TRUE);
  emit_changed (self, q);
  return TRUE;
}

gboolean
dlg_assessment_set_choices (DlgAssessment      *self,
                            const char         *question_id,
                            const char * const *option_ids,
                            GError            **error)
{
  g_autoptr(GPtrArray) choices = NULL;
  DlgQuestion *q;
  DlgAnswer *answer;
  gboolean has_exclusive = FALSE;

  g_return_val_if_fail (DLG_IS_ASSESSMENT (self), FALSE);

  if (!(q = lookup (self, question_id, error)))
    return FALSE;
  if (q->type != DLG_QUESTION_MULTIPLE_CHOICE)
    return wrong_type (q, _("one or more options"), error);

  choices = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; option_ids && option_ids[i]; i++)
    {
      const DlgOption *option;

      if (!check_choice (q, option_ids[i], error))
        return FALSE;
      for (guint j = 0; j < i; j++)
        if (strcmp (option_ids[i], option_ids[j]) == 0)
          {
            g_set_error (error, DLG_ASSESSMENT_ERROR, DLG_ASSESSMENT_ERROR_INVALID_VALUE,
                         _("Option “%s” is selected twice"), option_ids[i]);
            return FALSE;
          }
      option = dlg_question_lookup_option (q, option_ids[i]);
      has_exclusive |= option->exclusive;
      g_ptr_array_add (choices, g_strdup (option_ids[i]));
    }

  if (has_exclusive && choices->len > 1)
    {
      g_set_error (error, DLG_ASSESSMENT_ERROR, DLG_ASSESSMENT_ERROR_INVALID_VALUE,
                   _("An exclusive option such as “none” cannot be combined with others in question “%s”"),
                   q->id);
      return FALSE;
    }

  answer = ensure_answer (self, q);
  answer_clear_value (answer);
  if (choices->len > 0)
    {
      answer->choices = g_steal_pointer (&choices);
      set_has_value (self, answer, TRUE);
    }
  else
    set_has_value (self, answer, FALSE);
  emit_changed (self, q);
  return TRUE;
}

gboolean
dlg_assessment_set_text (DlgAssessment  *self,
                         const char     *question_id,
                         const char     *text,
                         GError        **error)
{
  DlgQuestion *q;
  DlgAnswer *answer;

  g_return_val_if_fail (DLG_IS_ASSESSMENT (self), FALSE);

  if (!(q = lookup (self, question_id, error)))
    return FALSE;
  if (q->type != DLG_QUESTION_TEXT)
    return wrong_type (q, _("text"), error);
  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    return wrong_type (q, _("valid UTF-8 text"), error);

  answer = ensure_answer (self, q);
  answer_clear_value (answer);
  if (text != NULL && *text != '\0')
    {
      answer->string = g_strdup (text);
      set_has_value (self, answer, TRUE);
    }
  else
    set_has_value (self, answer, FALSE);
  emit_changed (self, q);
  return TRUE;
}

gboolean
dlg_assessment_set_number (DlgAssessment  *self,
                           const char     *question_id,
                           double          number,
                           GError        **error)
{
  DlgQuestion *q;
  DlgAnswer *answer;

  g_return_val_if_fail (DLG_IS_ASSESSMENT (self), FALSE);

  if (!(q = lookup (self, question_id, error)))
    return FALSE;
  if (q->type != DLG_QUESTION_NUMBER)
    return wrong_type (q, _("a number"), error);
  if (!check_number (q, number, error))
    return FALSE;

  answer = ensure_answer (self, q);
  answer_clear_value (answer);
  answer->number = number;
  set_has_value (self, answer, TRUE);
  emit_changed (self, q);
  return TRUE;
}

gboolean
dlg_assessment_set_date (DlgAssessment  *self,
                         const char     *question_id,
                         const char     *iso_date,
                         GError        **error)
{
  DlgQuestion *q;
  DlgAnswer *answer;

  g_return_val_if_fail (DLG_IS_ASSESSMENT (self), FALSE);

  if (!(q = lookup (self, question_id, error)))
    return FALSE;
  if (q->type != DLG_QUESTION_DATE)
    return wrong_type (q, _("a date"), error);
  if (!check_date (q, iso_date, error))
    return FALSE;

  answer = ensure_answer (self, q);
  answer_clear_value (answer);
  answer->string = g_strdup (iso_date);
  set_has_value (self, answer, TRUE);
  emit_changed (self, q);
  return TRUE;
}

gboolean
dlg_assessment_clear_value (DlgAssessment  *self,
                            const char     *question_id,
                            GError        **error)
{
  DlgQuestion *q;
  DlgAnswer *answer;

  g_return_val_if_fail (DLG_IS_ASSESSMENT (self), FALSE);

  if (!(q = lookup (self, question_id, error)))
    return FALSE;

  if ((answer = self->answers[q->index]) != NULL)
    {
      set_has_value (self, answer, FALSE);
      answer_clear_value (answer);
      emit_changed (self, q);
    }
  return TRUE;
}

/**
 * dlg_assessment_set_value:
 * @value: (nullable): a value as in the answers format, or %NULL or a JSON
 *   null to clear it
 *
 * Sets an answer from its JSON form, checking it as the typed setters do.
 */
gboolean
dlg_assessment_set_value (DlgAssessment       *self,
                          const char          *question_id,
                          const DlgJsonValue  *value,
                          GError             **error)
{
  DlgQuestion *q;

  g_return_val_if_fail (DLG_IS_ASSESSMENT (self), FALSE);

  if (!(q = lookup (self, question_id, error)))
    return FALSE;

  if (value == NULL || value->type == DLG_JSON_NULL)
    return dlg_assessment_clear_value (self, question_id, error);

  switch (q->type)
    {
    case DLG_QUESTION_SINGLE_CHOICE:
    case DLG_QUESTION_YES_NO:
      if (value->type != DLG_JSON_STRING)
        return wrong_type (q, _("an option id (a string)"), error);
      return dlg_assessment_set_choice (self, question_id, value->string, error);

    case DLG_QUESTION_MULTIPLE_CHOICE:
      {
        g_autofree const char **ids = NULL;

        if (value->type != DLG_JSON_ARRAY)
          return wrong_type (q, _("an array of option ids"), error);
        if (value->length == 0)
          return wrong_type (q, _("at least one option id"), error);
        ids = g_new0 (const char *, value->length + 1);
        for (guint i = 0; i < value->length; i++)
          {
            if (value->elements[i]->type != DLG_JSON_STRING)
              return wrong_type (q, _("an array of option ids"), error);
            ids[i] = value->elements[i]->string;
          }
        return dlg_assessment_set_choices (self, question_id, ids, error);
      }

    case DLG_QUESTION_TEXT:
      if (value->type != DLG_JSON_STRING)
        return wrong_type (q, _("text"), error);
      if (*value->string == '\0')
        return wrong_type (q, _("non-empty text"), error);
      return dlg_assessment_set_text (self, question_id, value->string, error);

    case DLG_QUESTION_NUMBER:
      if (value->type != DLG_JSON_NUMBER)
        return wrong_type (q, _("a number"), error);
      return dlg_assessment_set_number (self, question_id, value->number, error);

    case DLG_QUESTION_DATE:
      if (value->type != DLG_JSON_STRING)
        return wrong_type (q, _("a date written YYYY-MM-DD"), error);
      return dlg_assessment_set_date (self, question_id, value->string, error);

    default:
      g_return_val_if_reached (FALSE);
    }
}

gboolean
dlg_assessment_set_comment (DlgAssessment  *self,
                            const char     *question_id,
                            const char     *comment,
                            GError        **error)
{
  DlgQuestion *q;
  DlgAnswer *answer;

  g_return_val_if_fail (DLG_IS_ASSESSMENT (self), FALSE);

  if (!(q = lookup (self, question_id, error)))
    return FALSE;
  if (comment != NULL && !g_utf8_validate (comment, -1, NULL))
    {
      g_set_error_literal (error, DLG_ASSESSMENT_ERROR, DLG_ASSESSMENT_ERROR_INVALID_VALUE,
                           _("The comment is not valid UTF-8 text"));
      return FALSE;
    }

  answer = ensure_answer (self, q);
  g_free (answer->comment);
  answer->comment = comment && *comment ? g_strdup (comment) : NULL;
  emit_changed (self, q);
  return TRUE;
}

static gboolean
is_sha256_hex (const char *s)
{
  if (s == NULL || strlen (s) != 64)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

/* Characters that would make a name show as something else: controls
 * (a line break, an escape sequence) and the bidirectional overrides and
 * isolates, with which "report\u202Efdp.exe" shows as "reportexe.pdf". */
static gboolean
is_hidden_character (gunichar c)
{
  return g_unichar_iscntrl (c) ||
         (c >= 0x202a && c <= 0x202e) ||
         (c >= 0x2066 && c <= 0x2069) ||
         c == 0x200e || c == 0x200f || c == 0x061c;
}

/**
 * dlg_evidence_name_check:
 * @name: (nullable): the name of an attached file, as shown to people
 * @error: a #GError in %DLG_ASSESSMENT_ERROR
 *
 * Evidence names come from strangers' answers files as well as from the
 * user's own files. They are shown in lists and become file names again
 * when an attachment is opened, so a name must be a plain file name: valid
 * text, no folder part, no control characters or text-direction overrides,
 * and no longer than %DLG_EVIDENCE_NAME_MAX bytes.
 *
 * Returns: %TRUE if @name is acceptable
 */
gboolean
dlg_evidence_name_check (const char  *name,
                         GError     **error)
{
  g_autoptr(GString) shown = g_string_new (NULL);
  g_autofree char *valid = NULL;

  if (name == NULL || *name == '\0')
    {
      g_set_error_literal (error, DLG_ASSESSMENT_ERROR, DLG_ASSESSMENT_ERROR_INVALID_VALUE,
                           _("An evidence file needs a name"));
      return FALSE;
    }

  if (strlen (name) > DLG_EVIDENCE_NAME_MAX)
    {
      g_set_error (error, DLG_ASSESSMENT_ERROR, DLG_ASSESSMENT_ERROR_INVALID_VALUE,
                   _("An evidence file name is too long (%u bytes; at most %d)"),
                   (guint) MIN (strlen (name), G_MAXUINT), DLG_EVIDENCE_NAME_MAX);
      return FALSE;
    }

  /* Never put invalid or invisible text in a message: show a cleaned copy. */
  valid = g_utf8_make_valid (name, -1);
  for (const char *p = valid; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_hidden_character (c))
        g_string_append_c (shown, '?');
      else
        g_string_append_unichar (shown, c);
    }

  if (!g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, DLG_ASSESSMENT_ERROR, DLG_ASSESSMENT_ERROR_INVALID_VALUE,
                   _("“%s” is not a valid evidence file name: it is not valid UTF-8 text"), shown->str);
      return FALSE;
    }

  for (const char *p = name; *p; p = g_utf8_next_char (p))
    if (is_hidden_character (g_utf8_get_char (p)))
      {
        g_set_error (error, DLG_ASSESSMENT_ERROR, DLG_ASSESSMENT_ERROR_INVALID_VALUE,
                     _("“%s” is not a valid evidence file name: it contains control characters "
                       "or text-direction marks"), shown->str);
        return FALSE;
      }

  /* Names become file names when an attachment is opened: no paths. */
  if (strchr (name, '/') != NULL || strchr (name, '\\') != NULL ||
      strcmp (name, ".") == 0 || strcmp (name, "..") == 0)
    {
      g_set_error (error, DLG_ASSESSMENT_ERROR, DLG_ASSESSMENT_ERROR_INVALID_VALUE,
                   _("“%s” is not a valid evidence file name: it must be a file name, not a path"), shown->str);
      return FALSE;
    }

  return TRUE;
}

gboolean
dlg_assessment_add_evidence (DlgAssessment  *self,
                             const char     *question_id,
                             const char     *name,
                             const char     *sha256,
                             GError        **error)
{
  DlgQuestion *q;
  DlgAnswer *answer;
  DlgEvidenceRef *ref;

  g_return_val_if_fail (DLG_IS_ASSESSMENT (self), FALSE);

  if (!(q = lookup (self, question_id, error)))
    return FALSE;
  if (!dlg_evidence_name_check (name, error))
    return FALSE;
  if (!is_sha256_hex (sha256))
    {
      g_set_error_literal (error, DLG_ASSESSMENT_ERROR, DLG_ASSESSMENT_ERROR_INVALID_VALUE,
                           _("An evidence hash must be a SHA-256 in 64 lower-case hexadecimal digits"));
      return FALSE;
    }

  answer = ensure_answer (self, q);
  if (answer->evidence == NULL)
    answer->evidence = g_ptr_array_new_with_free_func ((GDestroyNotify) evidence_ref_free);
  ref = g_new0 (DlgEvidenceRef, 1);
  ref->name = g_strdup (name);
  ref->sha256 = g_strdup (sha256);
  g_ptr_array_add (answer->evidence, ref);
  emit_changed (self, q);
  return TRUE;
}

gboolean
dlg_answer_has_choice (const DlgAnswer *answer,
                       const char      *option_id)
{
  if (answer == NULL || !answer->has_value)
    return FALSE;
  if (answer->choices != NULL)
    {
      for (guint i = 0; i < answer->choices->len; i++)
        if (strcmp (g_ptr_array_index (answer->choices, i), option_id) == 0)
          return TRUE;
      return FALSE;
    }
  return g_strcmp0 (answer->string, option_id) == 0;
}

/* ------------------------------------------------------------------------ */
/* The answers file                                                         */
/* ------------------------------------------------------------------------ */

static void
add_diagnostic (GPtrArray   *diagnostics,
                guint       *n_errors,
                DlgSeverity  severity,
                const char  *pointer,
                const char  *message)
{
  if (severity == DLG_SEVERITY_ERROR)
    (*n_errors)++;
  g_ptr_array_add (diagnostics, dlg_diagnostic_new (severity, pointer, message));
}

static const char *
member_string (const DlgJsonValue *object,
               const char         *key)
{
  const DlgJsonValue *v = dlg_json_get (object, key);

  return v != NULL && v->type == DLG_JSON_STRING ? v->string : NULL;
}

static const char *
answer_pointer (char       **buf,
                const char  *qid)
{
  if (*buf == NULL)
    {
      g_autofree char *escaped = dlg_json_pointer_escape (qid);
      *buf = g_strdup_printf ("/answers/%s", escaped);
    }
  return *buf;
}

static void
load_answer (DlgAssessment      *self,
             const char         *qid,
             const DlgJsonValue *o,
             GPtrArray          *diagnostics,
             guint              *n_errors)
{
  static const char * const keys[] = { "value", "comment", "evidence", NULL };
  g_autoptr(GError) error = NULL;
  const DlgJsonValue *member;
  /* Built only when there is something to report: most answers are fine. */
#define pointer (answer_pointer (&pointer_buf, qid))
  g_autofree char *pointer_buf = NULL;

  if (dlg_questionnaire_lookup_question (self->questionnaire, qid) == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The questionnaire has no question “%s”"), qid);
      add_diagnostic (diagnostics, n_errors, DLG_SEVERITY_ERROR, pointer, message);
      return;
    }

  if (o->type != DLG_JSON_OBJECT)
    {
      add_diagnostic (diagnostics, n_errors, DLG_SEVERITY_ERROR, pointer,
                      _("An answer must be an object with “value”, “comment” and “evidence”"));
      return;
    }

  for (guint i = 0; i < o->length; i++)
    {
      const char *key = o->members[i].key;

      if (!g_strv_contains (keys, key) && !g_str_has_prefix (key, "x-"))
        {
          g_autofree char *message = g_strdup_printf (_("Unknown member “%s” in an answer; it is ignored"), key);
          add_diagnostic (diagnostics, n_errors, DLG_SEVERITY_WARNING, pointer, message);
        }
    }

  if ((member = dlg_json_get (o, "value")) != NULL &&
      !dlg_assessment_set_value (self, qid, member, &error))
    {
      g_autofree char *p = g_strdup_printf ("%s/value", pointer);
      add_diagnostic (diagnostics, n_errors, DLG_SEVERITY_ERROR, p, error->message);
      g_clear_error (&error);
    }

  if ((member = dlg_json_get (o, "comment")) != NULL)
    {
      if (member->type != DLG_JSON_STRING)
        {
          g_autofree char *p = g_strdup_printf ("%s/comment", pointer);
          add_diagnostic (diagnostics, n_errors, DLG_SEVERITY_ERROR, p, _("“comment” must be a string"));
        }
      else
        dlg_assessment_set_comment (self, qid, member->string, NULL);
    }

  if ((member = dlg_json_get (o, "evidence")) != NULL)
    {
      if (member->type != DLG_JSON_ARRAY)
        {
          g_autofree char *p = g_strdup_printf ("%s/evidence", pointer);
          add_diagnostic (diagnostics, n_errors, DLG_SEVERITY_ERROR, p, _("“evidence” must be an array"));
        }
      else
        for (guint i = 0; i < member->length; i++)
          {
            const DlgJsonValue *e = member->elements[i];

            if (e->type != DLG_JSON_OBJECT)
              {
                g_autofree char *pe = g_strdup_printf ("%s/evidence/%u", pointer, i);
                add_diagnostic (diagnostics, n_errors, DLG_SEVERITY_ERROR, pe,
                                _("Evidence must be an object with “name” and “sha256”"));
                continue;
              }

            if (!dlg_assessment_add_evidence (self, qid, member_string (e, "name"),
                                              member_string (e, "sha256"), &error))
              {
                g_autofree char *pe = g_strdup_printf ("%s/evidence/%u", pointer, i);
                add_diagnostic (diagnostics, n_errors, DLG_SEVERITY_ERROR, pe, error->message);
                g_clear_error (&error);
              }
          }
    }
#undef pointer
}

/**
 * dlg_assessment_new_from_answers:
 * @questionnaire: the questionnaire the answers are for
 * @bytes: an answers file (docs/questionnaire-format.md, "Answers format")
 * @diagnostics: (nullable): receives every error and warning
 * @error: a #GError
 *
 * Returns: (transfer full): the assessment, or %NULL if the file has any error
 */
DlgAssessment *
dlg_assessment_new_from_answers (DlgQuestionnaire  *questionnaire,
                                 GBytes            *bytes,
                                 GPtrArray         *diagnostics,
                                 GError           **error)
{
  g_autoptr(DlgAssessment) self = NULL;
  g_autoptr(GPtrArray) local_diagnostics = NULL;
  g_autoptr(DlgJsonDoc) doc = NULL;
  g_autoptr(GError) json_error = NULL;
  static const char * const keys[] = { "format", "questionnaire", "answers", NULL };
  const DlgJsonValue *o, *member;
  const char *format;
  guint n_errors = 0;
  guint line, column;
  const char *data;
  gsize length;

  g_return_val_if_fail (DLG_IS_QUESTIONNAIRE (questionnaire), NULL);
  g_return_val_if_fail (bytes != NULL, NULL);

  if (diagnostics == NULL)
    diagnostics = local_diagnostics = dlg_diagnostics_new ();

  data = g_bytes_get_data (bytes, &length);
  if (!(doc = dlg_json_doc_parse (data, length, &line, &column, &json_error)))
    {
      DlgDiagnostic *d = dlg_diagnostic_new (DLG_SEVERITY_ERROR, NULL, json_error->message);

      d->line = line;
      d->column = column;
      g_ptr_array_add (diagnostics, d);
      g_set_error (error, DLG_ASSESSMENT_ERROR, DLG_ASSESSMENT_ERROR_INVALID_FILE,
                   _("Line %u, column %u: %s"), line, column, json_error->message);
      return NULL;
    }

  o = dlg_json_doc_get_root (doc);
  if (o->type != DLG_JSON_OBJECT)
    {
      add_diagnostic (diagnostics, &n_errors, DLG_SEVERITY_ERROR, "",
                      _("An answers file must be a JSON object"));
      g_set_error_literal (error, DLG_ASSESSMENT_ERROR, DLG_ASSESSMENT_ERROR_INVALID_FILE,
                           _("An answers file must be a JSON object"));
      return NULL;
    }

  for (guint i = 0; i < o->length; i++)
    {
      const char *key = o->members[i].key;

      if (!g_strv_contains (keys, key) && !g_str_has_prefix (key, "x-"))
        {
          g_autofree char *escaped = dlg_json_pointer_escape (key);
          g_autofree char *pointer = g_strdup_printf ("/%s", escaped);
          g_autofree char *message = g_strdup_printf (_("Unknown member “%s”; it is ignored"), key);
          add_diagnostic (diagnostics, &n_errors, DLG_SEVERITY_WARNING, pointer, message);
        }
    }

  format = member_string (o, "format");
  if (g_strcmp0 (format, DLG_ANSWERS_FORMAT) != 0)
    {
      g_autofree char *message = g_strdup_printf (_("This is not a Diligence answers file: “format” must be “%s”"),
                                                  DLG_ANSWERS_FORMAT);
      add_diagnostic (diagnostics, &n_errors, DLG_SEVERITY_ERROR, "/format", message);
    }

  member = dlg_json_get (o, "questionnaire");
  if (member == NULL || member->type != DLG_JSON_OBJECT)
    add_diagnostic (diagnostics, &n_errors, DLG_SEVERITY_ERROR, "/questionnaire",
                    _("“questionnaire” must be an object with the questionnaire's “id” and “version”"));
  else
    {
      const char *id = member_string (member, "id");
      const char *version = member_string (member, "version");

      if (id == NULL)
        add_diagnostic (diagnostics, &n_errors, DLG_SEVERITY_ERROR, "/questionnaire/id",
                        _("The questionnaire id is missing"));
      else if (g_strcmp0 (id, dlg_questionnaire_get_id (questionnaire)) != 0)
        {
          g_autofree char *message =
            g_strdup_printf (_("These answers are for questionnaire “%s”, not “%s”"),
                             id, dlg_questionnaire_get_id (questionnaire));
          add_diagnostic (diagnostics, &n_errors, DLG_SEVERITY_ERROR, "/questionnaire/id", message);
        }

      if (version == NULL)
        add_diagnostic (diagnostics, &n_errors, DLG_SEVERITY_WARNING, "/questionnaire/version",
                        _("The questionnaire version is missing"));
      else if (g_strcmp0 (version, dlg_questionnaire_get_version (questionnaire)) != 0)
        {
          g_autofree char *message =
            g_strdup_printf (_("These answers were given to version %s; the questionnaire is version %s (answers are matched by question id)"),
                             version, dlg_questionnaire_get_version (questionnaire));
          add_diagnostic (diagnostics, &n_errors, DLG_SEVERITY_WARNING, "/questionnaire/version", message);
        }
    }

  self = dlg_assessment_new (questionnaire);

  member = dlg_json_get (o, "answers");
  if (member == NULL || member->type != DLG_JSON_OBJECT)
    add_diagnostic (diagnostics, &n_errors, DLG_SEVERITY_ERROR, "/answers",
                    _("“answers” must be an object keyed by question id"));
  else
    for (guint i = 0; i < member->length; i++)
      load_answer (self, member->members[i].key, member->members[i].value, diagnostics, &n_errors);

  if (n_errors > 0)
    {
      g_set_error (error, DLG_ASSESSMENT_ERROR, DLG_ASSESSMENT_ERROR_INVALID_FILE,
                   g_dngettext (GETTEXT_PACKAGE, "The answers file has %u error",
                                "The answers file has %u errors", n_errors),
                   n_errors);
      return NULL;
    }

  return g_steal_pointer (&self);
}

static void
add_answer (JsonBuilder     *b,
            const DlgAnswer *a)
{
  json_builder_begin_object (b);
  if (a->has_value)
    {
      json_builder_set_member_name (b, "value");
      if (a->choices != NULL)
        {
          json_builder_begin_array (b);
          for (guint j = 0; j < a->choices->len; j++)
            json_builder_add_string_value (b, g_ptr_array_index (a->choices, j));
          json_builder_end_array (b);
        }
      else if (a->question->type == DLG_QUESTION_NUMBER)
        {
          if (a->number == floor (a->number) && fabs (a->number) < 9e15)
            json_builder_add_int_value (b, (gint64) a->number);
          else
            json_builder_add_double_value (b, a->number);
        }
      else
        json_builder_add_string_value (b, a->string);
    }
  if (a->comment != NULL)
    {
      json_builder_set_member_name (b, "comment");
      json_builder_add_string_value (b, a->comment);
    }
  if (a->evidence != NULL && a->evidence->len > 0)
    {
      json_builder_set_member_name (b, "evidence");
      json_builder_begin_array (b);
      for (guint j = 0; j < a->evidence->len; j++)
        {
          DlgEvidenceRef *ref = g_ptr_array_index (a->evidence, j);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, ref->name);
          json_builder_set_member_name (b, "sha256");
          json_builder_add_string_value (b, ref->sha256);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
}

/**
 * dlg_answer_to_json:
 *
 * Returns: (transfer full): one answer as in the answers format:
 *   an object with "value", "comment" and "evidence" as present
 */
JsonNode *
dlg_answer_to_json (const DlgAnswer *answer)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  add_answer (b, answer);
  return json_builder_get_root (b);
}

/**
 * dlg_assessment_remove_evidence:
 *
 * Removes the evidence with @sha256 from @question_id's answer. Removing
 * evidence that is not there is not an error.
 */
gboolean
dlg_assessment_remove_evidence (DlgAssessment  *self,
                                const char     *question_id,
                                const char     *sha256,
                                GError        **error)
{
  DlgQuestion *q;
  DlgAnswer *answer;

  g_return_val_if_fail (DLG_IS_ASSESSMENT (self), FALSE);

  if (!(q = lookup (self, question_id, error)))
    return FALSE;

  answer = self->answers[q->index];
  for (guint i = 0; answer && answer->evidence && i < answer->evidence->len; i++)
    if (g_strcmp0 (((DlgEvidenceRef *) g_ptr_array_index (answer->evidence, i))->sha256, sha256) == 0)
      {
        g_ptr_array_remove_index (answer->evidence, i);
        emit_changed (self, q);
        break;
      }

  return TRUE;
}

/**
 * dlg_assessment_to_json:
 *
 * Returns: (transfer full): the answers in the answers file format, in
 *   questionnaire order
 */
JsonNode *
dlg_assessment_to_json (DlgAssessment *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  guint n;

  g_return_val_if_fail (DLG_IS_ASSESSMENT (self), NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, DLG_ANSWERS_FORMAT);
  json_builder_set_member_name (b, "questionnaire");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, dlg_questionnaire_get_id (self->questionnaire));
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, dlg_questionnaire_get_version (self->questionnaire));
  json_builder_end_object (b);
  json_builder_set_member_name (b, "answers");
  json_builder_begin_object (b);

  n = dlg_questionnaire_get_n_questions (self->questionnaire);
  for (guint i = 0; i < n; i++)
    {
      const DlgAnswer *a = self->answers[i];

      if (a == NULL)
        continue;

      json_builder_set_member_name (b, a->question->id);
      add_answer (b, a);
    }

  json_builder_end_object (b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}
