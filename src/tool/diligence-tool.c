/* diligence-tool.c - Diligence on the command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Exit status, for scripts: 0 success, 1 the input is invalid, 2 usage or
 * I/O error. Results go to standard output, diagnostics to standard error.
 */

#define G_LOG_DOMAIN "diligence-tool"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dlg-core.h"

#define EXIT_INVALID 1
#define EXIT_USAGE 2

typedef struct
{
  const char *name;
  const char *summary;
  int       (*run) (int argc, char **argv);
} Command;

static int cmd_validate (int argc, char **argv);
static int cmd_score (int argc, char **argv);
static int cmd_list (int argc, char **argv);
static int cmd_keygen (int argc, char **argv);
static int cmd_pubkey (int argc, char **argv);
static int cmd_report (int argc, char **argv);
static int cmd_verify (int argc, char **argv);
static int cmd_export (int argc, char **argv);
static int cmd_assessments (int argc, char **argv);
static int cmd_actions (int argc, char **argv);
static int cmd_progress (int argc, char **argv);

static const Command commands[] = {
  { "validate", N_("Check questionnaire files and report every problem"), cmd_validate },
  { "score", N_("Evaluate answers against a questionnaire"), cmd_score },
  { "list", N_("List the built-in questionnaires"), cmd_list },
  { "keygen", N_("Make a new Ed25519 signing key"), cmd_keygen },
  { "pubkey", N_("Print the public half of a key as JWK or PEM"), cmd_pubkey },
  { "report", N_("Build a report from answers and sign it"), cmd_report },
  { "verify", N_("Check the signature of a report or review"), cmd_verify },
  { "export", N_("Write a signed report as PDF, CSV or JSON"), cmd_export },
  { "assessments", N_("List the assessments in Diligence's data"), cmd_assessments },
  { "actions", N_("Export an assessment's corrective action plan (CSV or JSON)"), cmd_actions },
  { "progress", N_("Show every period of an assessment's questionnaire"), cmd_progress },
};

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n\n", _("Usage: diligence-tool COMMAND [OPTION…] [ARGUMENT…]"));
  fprintf (out, "%s\n\n", _("Due-diligence questionnaires on the command line."));
  fprintf (out, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-12s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("Run “diligence-tool COMMAND --help” for a command's options."));
  fprintf (out, "%s\n", _("Exit status: 0 success, 1 invalid input, 2 usage or I/O error."));
}

static GBytes *
read_file (const char  *path,
           GError     **error)
{
  return dlg_file_read (path, DLG_JSON_MAX_SIZE, error);
}

static void
print_diagnostics (GPtrArray  *diagnostics,
                   const char *filename,
                   gboolean    strict)
{
  for (guint i = 0; i < diagnostics->len; i++)
    {
      DlgDiagnostic *d = g_ptr_array_index (diagnostics, i);
      g_autofree char *line = NULL;

      if (strict && d->severity == DLG_SEVERITY_WARNING)
        d->severity = DLG_SEVERITY_ERROR;
      line = dlg_diagnostic_format (d, filename);
      fprintf (stderr, "%s\n", line);
    }
}

static GOptionContext *
make_context (const char   *parameters,
              const char   *summary,
              GOptionEntry *entries)
{
  GOptionContext *context = g_option_context_new (parameters);

  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  return context;
}

static gboolean
parse_options (GOptionContext  *context,
               int             *argc,
               char          ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      fprintf (stderr, "diligence-tool: %s\n", error->message);
      return FALSE;
    }
  return TRUE;
}

static int
cmd_validate (int    argc,
              char **argv)
{
  gboolean strict = FALSE;
  gboolean quiet = FALSE;
  GOptionEntry entries[] = {
    { "strict", 0, 0, G_OPTION_ARG_NONE, &strict, N_("Treat warnings as errors"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("Print nothing for valid files"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    make_context (_("FILE…"),
                  _("Checks questionnaire files (docs/questionnaire-format.md).\n"
                    "Each problem is printed on standard error as\n"
                    "FILE:LINE:COLUMN: error: … (syntax) or FILE: error: /json/pointer: … (content).\n"
                    "Exit status: 0 all valid, 1 some file invalid, 2 usage or I/O error."),
                  entries);
  gboolean any_invalid = FALSE;
  gboolean any_io_error = FALSE;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;

  if (argc < 2)
    {
      fprintf (stderr, "diligence-tool validate: %s\n", _("No file given"));
      return EXIT_USAGE;
    }

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GPtrArray) diagnostics = dlg_diagnostics_new ();
      g_autoptr(DlgQuestionnaire) q = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;

      if (!(bytes = read_file (argv[i], &error)))
        {
          fprintf (stderr, "%s: error: %s\n", argv[i], error->message);
          any_io_error = TRUE;
          continue;
        }

      q = dlg_questionnaire_new_from_bytes (bytes, diagnostics, &error);
      print_diagnostics (diagnostics, argv[i], strict);

      if (q == NULL || (strict && diagnostics->len > 0))
        any_invalid = TRUE;
      else if (!quiet && diagnostics->len > 0)
        fprintf (stderr, "%s: %s\n", argv[i],
                 g_dngettext (GETTEXT_PACKAGE, "valid, with %u warning", "valid, with %u warnings",
                              diagnostics->len));
    }

  if (any_io_error)
    return EXIT_USAGE;
  return any_invalid ? EXIT_INVALID : EXIT_SUCCESS;
}

/* ------------------------------------------------------------------------ */
/* Tables for people                                                        */
/* ------------------------------------------------------------------------ */

/* The columns @text takes in a terminal: a wide character (CJK) two, a
 * combining or other zero-width one none, any other one. Headings and
 * level words are translated, so bytes would misalign "Réponses". */
static gsize
display_width (const char *text)
{
  gsize width = 0;

  if (!g_utf8_validate (text, -1, NULL))
    return strlen (text);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }
  return width;
}

/* Rows of cells, each column as wide as its widest cell. */
typedef struct
{
  guint      n_columns;
  guint      right_aligned;   /* a bit per column */
  GPtrArray *rows;            /* of GStrv */
} Table;

static Table *
table_new (guint n_columns,
           guint right_aligned)
{
  Table *table = g_new0 (Table, 1);

  table->n_columns = n_columns;
  table->right_aligned = right_aligned;
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  return table;
}

static void
table_free (Table *table)
{
  g_ptr_array_unref (table->rows);
  g_free (table);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Table, table_free)

/* Adds a row of n_columns strings; %NULL shows as a dash. */
static void
table_add (Table *table,
           ...)
{
  char **row = g_new0 (char *, table->n_columns + 1);
  va_list args;

  va_start (args, table);
  for (guint i = 0; i < table->n_columns; i++)
    {
      const char *cell = va_arg (args, const char *);

      row[i] = g_strdup (cell ? cell : "–");
    }
  va_end (args);
  g_ptr_array_add (table->rows, row);
}

/* Prints the rows, the columns two spaces apart; the last column, free
 * text, is not padded. */
static void
table_print (Table *table)
{
  g_autofree gsize *widths = g_new0 (gsize, table->n_columns);

  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = g_ptr_array_index (table->rows, r);

      for (guint i = 0; i < table->n_columns; i++)
        widths[i] = MAX (widths[i], display_width (row[i]));
    }

  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = g_ptr_array_index (table->rows, r);
      g_autoptr(GString) line = g_string_new (NULL);

      for (guint i = 0; i < table->n_columns; i++)
        {
          gsize pad = widths[i] - display_width (row[i]);
          gboolean last = i + 1 == table->n_columns;

          if (i > 0)
            g_string_append (line, "  ");
          if (table->right_aligned & (1u << i))
            {
              for (gsize k = 0; k < pad; k++)
                g_string_append_c (line, ' ');
              g_string_append (line, row[i]);
            }
          else
            {
              g_string_append (line, row[i]);
              for (gsize k = 0; !last && k < pad; k++)
                g_string_append_c (line, ' ');
            }
        }
      printf ("%s\n", line->str);
    }
}

static const char *
pick_language (DlgQuestionnaire *q,
               const char       *requested)
{
  if (requested != NULL)
    return requested;
  return dlg_language_pick (dlg_questionnaire_get_languages (q));
}

static char *
format_score (gboolean has_score,
              double   score,
              gboolean provisional)
{
  if (!has_score)
    return g_strdup ("–");
  if (provisional)
    return g_strdup_printf ("(%.0f %%)", score);
  return g_strdup_printf ("%.0f %%", score);
}

static void
print_evaluation (const DlgEvaluation *ev,
                  const char          *language)
{
  DlgQuestionnaire *q = ev->questionnaire;
  g_autofree char *overall_score = NULL;
  g_autoptr(Table) table = NULL;

  /* TRANSLATORS: questionnaire title, version, "full questionnaire" or "quick scan" */
  printf (_("%s, version %s — %s\n\n"),
          dlg_text_get (dlg_questionnaire_get_title (q), language),
          dlg_questionnaire_get_version (q),
          ev->quick_scan ? _("quick scan") : _("full questionnaire"));

  table = table_new (4, 1u << 1);
  table_add (table, _("Level"), _("Score"), _("Answered"), _("Section"));
  for (guint i = 0; i < ev->n_sections; i++)
    {
      const DlgSectionResult *sr = &ev->sections[i];
      g_autofree char *score = NULL;
      g_autofree char *answered = NULL;
      g_autofree char *title = NULL;

      if (!sr->visible)
        continue;

      score = format_score (sr->has_score, sr->score, !sr->complete);
      answered = g_strdup_printf ("%u/%u", sr->n_required_answered, sr->n_required);
      title = g_strconcat (dlg_text_get (sr->section->title, language),
                           sr->critical_red ? _(" — critical finding") : "", NULL);
      table_add (table, dlg_level_get_label (sr->level), score, answered, title);
    }
  table_print (table);

  overall_score = format_score (ev->has_score, ev->score, !ev->complete);
  printf ("\n");
  printf (_("Overall: %s, score %s, %u of %u required questions answered%s\n"),
          dlg_level_get_label (ev->level), overall_score,
          ev->n_required_answered, ev->n_required,
          ev->critical_red ? _(" — critical finding") : "");
  if (!ev->complete && !ev->critical_red)
    printf (_("Scores in brackets are provisional until every required question is answered.\n"));
}

static int
cmd_score (int    argc,
           char **argv)
{
  gboolean quick_scan = FALSE;
  gboolean json = FALSE;
  g_autofree char *language = NULL;
  GOptionEntry entries[] = {
    { "quick-scan", 0, 0, G_OPTION_ARG_NONE, &quick_scan, N_("Evaluate only the quick-scan questions"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { "language", 'l', 0, G_OPTION_ARG_STRING, &language, N_("Language of titles (default: from the locale)"), N_("LANG") },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    make_context (_("QUESTIONNAIRE ANSWERS"),
                  _("Prints each section's level, score and completeness, and the overall result.\n"
                    "Levels: green, amber, red, grey (not applicable), incomplete.\n"
                    "Exit status: 0 scored, 1 questionnaire or answers invalid, 2 usage or I/O error."),
                  entries);
  g_autoptr(GPtrArray) diagnostics = dlg_diagnostics_new ();
  g_autoptr(DlgQuestionnaire) q = NULL;
  g_autoptr(DlgAssessment) assessment = NULL;
  g_autoptr(DlgEvaluation) ev = NULL;
  g_autoptr(GBytes) q_bytes = NULL;
  g_autoptr(GBytes) a_bytes = NULL;
  g_autoptr(GError) error = NULL;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;

  if (argc != 3)
    {
      fprintf (stderr, "diligence-tool score: %s\n", _("Give a questionnaire and an answers file"));
      return EXIT_USAGE;
    }

  if (!(q_bytes = read_file (argv[1], &error)))
    {
      fprintf (stderr, "%s: error: %s\n", argv[1], error->message);
      return EXIT_USAGE;
    }
  if (!(a_bytes = read_file (argv[2], &error)))
    {
      fprintf (stderr, "%s: error: %s\n", argv[2], error->message);
      return EXIT_USAGE;
    }

  q = dlg_questionnaire_new_from_bytes (q_bytes, diagnostics, &error);
  if (q == NULL)
    {
      print_diagnostics (diagnostics, argv[1], FALSE);
      return EXIT_INVALID;
    }
  g_ptr_array_set_size (diagnostics, 0);

  assessment = dlg_assessment_new_from_answers (q, a_bytes, diagnostics, &error);
  print_diagnostics (diagnostics, argv[2], FALSE);
  if (assessment == NULL)
    return EXIT_INVALID;

  ev = dlg_evaluate (assessment, quick_scan);

  if (json)
    {
      g_autoptr(JsonNode) node = dlg_evaluation_to_json (ev, pick_language (q, language));
      g_autofree char *text = json_to_string (node, TRUE);

      printf ("%s\n", text);
    }
  else
    print_evaluation (ev, pick_language (q, language));

  return EXIT_SUCCESS;
}

static int
cmd_list (int    argc,
          char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GOptionContext) context =
    make_context (NULL, _("Lists the built-in questionnaires: id, version, questions, quick-scan questions, title."),
                  entries);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;

  if (!(list = dlg_builtin_load_questionnaires (&error)))
    {
      fprintf (stderr, "diligence-tool: %s\n", error->message);
      return EXIT_USAGE;
    }

  for (guint i = 0; i < list->len; i++)
    {
      DlgQuestionnaire *q = g_ptr_array_index (list, i);

      printf ("%s\t%s\t%u\t%u\t%s\n",
              dlg_questionnaire_get_id (q),
              dlg_questionnaire_get_version (q),
              dlg_questionnaire_get_n_questions (q),
              dlg_questionnaire_get_n_quick_scan (q),
              dlg_text_get (dlg_questionnaire_get_title (q),
                            dlg_language_pick (dlg_questionnaire_get_languages (q))));
    }

  return EXIT_SUCCESS;
}

/* Writes @text to @path through a synced temporary file in the same
 * folder, created 0600 so that the key is never readable by others, not
 * even for a moment. Without @replace, link(2) puts it in place only if
 * nothing is there yet, so an existing key can never be lost, even to a
 * race. */
static gboolean
write_private_file (const char  *path,
                    const char  *text,
                    gboolean     replace,
                    GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *tmp = g_build_filename (dir, ".diligence-key-XXXXXX", NULL);
  gsize length = strlen (text);
  gsize done = 0;
  int saved_errno;
  int fd;

  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    goto fail_errno;

  while (done < length)
    {
      gssize n = write (fd, text + done, length - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        goto fail_errno;
      done += n;
    }

  if (fsync (fd) != 0)
    goto fail_errno;
  if (close (fd) != 0)
    {
      fd = -1;
      goto fail_errno;
    }
  fd = -1;

  if (replace ? g_rename (tmp, path) != 0 : link (tmp, path) != 0)
    goto fail_errno;
  if (!replace)
    g_unlink (tmp);

  /* Make the new name durable too. */
  fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
  return TRUE;

fail_errno:
  saved_errno = errno;
  if (fd >= 0)
    close (fd);
  if (tmp[strlen (tmp) - 1] != 'X')
    g_unlink (tmp);
  if (saved_errno == EEXIST)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                 _("“%s” exists already; give --force to replace it (the key in it will be lost)"), path);
  else
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                 _("Could not write “%s”: %s"), path, g_strerror (saved_errno));
  return FALSE;
}

static int
cmd_keygen (int    argc,
            char **argv)
{
  g_autofree char *output = NULL;
  gboolean force = FALSE;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the private key to FILE"), N_("FILE") },
    { "force", 'f', 0, G_OPTION_ARG_NONE, &force, N_("Replace FILE if it exists"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    make_context (NULL,
                  _("Makes a new Ed25519 key pair and writes it to FILE as unencrypted PKCS#8 PEM,\n"
                    "readable only by you (mode 0600). Prints the key id (RFC 7638 thumbprint)\n"
                    "and its fingerprint. Never replaces an existing file without --force.\n"
                    "Exit status: 0 written, 2 usage or I/O error."),
                  entries);
  g_autoptr(DlgKey) key = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *fingerprint = NULL;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;

  if (output == NULL || argc != 1)
    {
      fprintf (stderr, "diligence-tool keygen: %s\n", _("Give the file to write with --output FILE"));
      return EXIT_USAGE;
    }

  if (!(key = dlg_key_generate (&error)) ||
      !(pem = dlg_key_to_private_pem (key, &error)))
    {
      fprintf (stderr, "diligence-tool keygen: %s\n", error->message);
      return EXIT_USAGE;
    }

  if (!write_private_file (output, pem, force, &error))
    {
      memset (pem, 0, strlen (pem));
      fprintf (stderr, "diligence-tool keygen: %s\n", error->message);
      return EXIT_USAGE;
    }
  memset (pem, 0, strlen (pem));

  fingerprint = dlg_key_get_fingerprint (key);
  printf ("%s\n", dlg_key_get_id (key));
  fprintf (stderr, _("Wrote a new key to “%s”. Fingerprint: %s\n"), output, fingerprint);
  return EXIT_SUCCESS;
}

static int
cmd_pubkey (int    argc,
            char **argv)
{
  gboolean pem = FALSE;
  GOptionEntry entries[] = {
    { "pem", 0, 0, G_OPTION_ARG_NONE, &pem, N_("Print SPKI PEM instead of a JSON Web Key"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    make_context (_("KEY"),
                  _("Prints the public key of KEY (a PKCS#8 or SPKI PEM file, or a JWK) as a JSON\n"
                    "Web Key whose “kid” is its RFC 7638 thumbprint, or as SPKI PEM with --pem.\n"
                    "Exit status: 0 printed, 1 KEY is not an Ed25519 key, 2 usage or I/O error."),
                  entries);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(DlgKey) key = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;

  if (argc != 2)
    {
      fprintf (stderr, "diligence-tool pubkey: %s\n", _("Give one key file"));
      return EXIT_USAGE;
    }

  if (!(bytes = dlg_file_read (argv[1], DLG_KEY_MAX_FILE_SIZE, &error)))
    {
      fprintf (stderr, "%s: error: %s\n", argv[1], error->message);
      return EXIT_USAGE;
    }

  key = dlg_key_new_from_data (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  if (key == NULL)
    {
      fprintf (stderr, "%s: error: %s\n", argv[1], error->message);
      return EXIT_INVALID;
    }

  text = pem ? dlg_key_to_public_pem (key) : dlg_key_to_public_jwk (key);
  fputs (text, stdout);
  if (!pem)
    fputc ('\n', stdout);
  return EXIT_SUCCESS;
}

/* ------------------------------------------------------------------------ */
/* Signed reports                                                           */
/* ------------------------------------------------------------------------ */

static gboolean write_output (const char *output,
                              const char *data,
                              gsize       length);

static DlgKey *
read_key (const char  *path,
          GError     **error)
{
  g_autoptr(GBytes) bytes = dlg_file_read (path, DLG_KEY_MAX_FILE_SIZE, error);

  if (bytes == NULL)
    return NULL;
  return dlg_key_new_from_data (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error);
}

/* "Name:ID", split at the last colon: names may hold colons, enterprise
 * numbers never do. */
static DlgParty *
parse_recipient (const char *text)
{
  const char *colon = strrchr (text, ':');
  g_autofree char *name = NULL;

  if (colon == NULL || colon == text || colon[1] == '\0')
    return NULL;
  name = g_strndup (text, colon - text);
  return dlg_party_new (name, colon + 1);
}

static char *
current_year (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y");
}

static int
cmd_report (int    argc,
            char **argv)
{
  g_autofree char *questionnaire_path = NULL;
  g_autofree char *answers_path = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *output = NULL;
  g_autofree char *plan_path = NULL;
  g_autofree char *org = NULL;
  g_autofree char *org_id = NULL;
  g_autofree char *country = NULL;
  g_autofree char *period = NULL;
  g_autofree char *language = NULL;
  g_autofree char *supersedes = NULL;
  g_auto(GStrv) recipient_args = NULL;
  gboolean quick_scan = FALSE;
  GOptionEntry entries[] = {
    { "questionnaire", 'q', 0, G_OPTION_ARG_FILENAME, &questionnaire_path, N_("The questionnaire answered"), N_("FILE") },
    { "answers", 'a', 0, G_OPTION_ARG_FILENAME, &answers_path, N_("The answers (docs/questionnaire-format.md)"), N_("FILE") },
    { "org", 0, 0, G_OPTION_ARG_STRING, &org, N_("Your organisation's name"), N_("NAME") },
    { "org-id", 0, 0, G_OPTION_ARG_STRING, &org_id, N_("Your enterprise or VAT number, e.g. BE0123456789"), N_("ID") },
    { "country", 0, 0, G_OPTION_ARG_STRING, &country, N_("Your country, two letters (optional)"), N_("CC") },
    { "key", 'k', 0, G_OPTION_ARG_FILENAME, &key_path, N_("Your private key (PKCS#8 PEM, from keygen)"), N_("FILE") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the signed report to FILE"), N_("FILE") },
    { "period", 'p', 0, G_OPTION_ARG_STRING, &period, N_("The period reported on (default: this year)"), N_("PERIOD") },
    { "recipient", 'r', 0, G_OPTION_ARG_STRING_ARRAY, &recipient_args, N_("Who the report is for; repeat for several"), N_("NAME:ID") },
    { "language", 'l', 0, G_OPTION_ARG_STRING, &language, N_("Language of the texts copied in (default: from the locale)"), N_("LANG") },
    { "action-plan", 0, 0, G_OPTION_ARG_FILENAME, &plan_path, N_("A corrective action plan to include (JSON)"), N_("FILE") },
    { "supersedes", 0, 0, G_OPTION_ARG_STRING, &supersedes, N_("The id of the report this one corrects"), N_("ID") },
    { "quick-scan", 0, 0, G_OPTION_ARG_NONE, &quick_scan, N_("Report only the quick-scan questions"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    make_context (NULL,
                  _("Builds a report (docs/report-format.md) from a questionnaire and answers, signs it\n"
                    "with KEY as a compact JWS and writes it to FILE exactly as signed, without a final\n"
                    "newline. Prints the report id; the key id goes to standard error.\n"
                    "Exit status: 0 written, 1 invalid questionnaire, answers, plan, key or report,\n"
                    "2 usage or I/O error."),
                  entries);
  g_autoptr(GPtrArray) diagnostics = dlg_diagnostics_new ();
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) dlg_party_free);
  g_autoptr(GBytes) q_bytes = NULL;
  g_autoptr(GBytes) a_bytes = NULL;
  g_autoptr(GBytes) plan_bytes = NULL;
  g_autoptr(DlgQuestionnaire) q = NULL;
  g_autoptr(DlgAssessment) assessment = NULL;
  g_autoptr(DlgEvaluation) ev = NULL;
  g_autoptr(DlgActionPlan) plan = NULL;
  g_autoptr(JsonNode) plan_node = NULL;
  g_autoptr(DlgKey) key = NULL;
  g_autoptr(DlgReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *jws = NULL;
  g_autofree char *fingerprint = NULL;
  DlgProfile profile = { 0 };

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 1)
    {
      fprintf (stderr, "diligence-tool report: %s\n", _("Give every file with an option; see --help"));
      return EXIT_USAGE;
    }
  if (questionnaire_path == NULL || answers_path == NULL || key_path == NULL || output == NULL ||
      org == NULL || org_id == NULL)
    {
      fprintf (stderr, "diligence-tool report: %s\n",
               _("--questionnaire, --answers, --org, --org-id, --key and --output are required"));
      return EXIT_USAGE;
    }
  for (guint i = 0; recipient_args != NULL && recipient_args[i] != NULL; i++)
    {
      DlgParty *party = parse_recipient (recipient_args[i]);

      if (party == NULL)
        {
          fprintf (stderr, "diligence-tool report: --recipient %s: %s\n", recipient_args[i],
                   _("give the recipient as NAME:ID, e.g. “City of Liège:BE0207335822”"));
          return EXIT_USAGE;
        }
      g_ptr_array_add (recipients, party);
    }

  if (!(q_bytes = read_file (questionnaire_path, &error)))
    {
      fprintf (stderr, "%s: error: %s\n", questionnaire_path, error->message);
      return EXIT_USAGE;
    }
  if (!(a_bytes = read_file (answers_path, &error)))
    {
      fprintf (stderr, "%s: error: %s\n", answers_path, error->message);
      return EXIT_USAGE;
    }
  if (plan_path != NULL && !(plan_bytes = read_file (plan_path, &error)))
    {
      fprintf (stderr, "%s: error: %s\n", plan_path, error->message);
      return EXIT_USAGE;
    }

  if (!(q = dlg_questionnaire_new_from_bytes (q_bytes, diagnostics, &error)))
    {
      print_diagnostics (diagnostics, questionnaire_path, FALSE);
      return EXIT_INVALID;
    }
  g_ptr_array_set_size (diagnostics, 0);
  assessment = dlg_assessment_new_from_answers (q, a_bytes, diagnostics, &error);
  print_diagnostics (diagnostics, answers_path, FALSE);
  if (assessment == NULL)
    return EXIT_INVALID;

  /* The plan goes in as its own reader understood it, so that a report
   * never carries a plan the app could not open. */
  if (plan_bytes != NULL)
    {
      plan = dlg_action_plan_new_from_data (g_bytes_get_data (plan_bytes, NULL), g_bytes_get_size (plan_bytes), &error);
      if (plan == NULL)
        {
          fprintf (stderr, "%s: error: %s\n", plan_path, error->message);
          return EXIT_INVALID;
        }
      plan_node = dlg_action_plan_to_json (plan);
    }

  if (!(key = read_key (key_path, &error)))
    {
      fprintf (stderr, "%s: error: %s\n", key_path, error->message);
      return error->domain == G_IO_ERROR ? EXIT_USAGE : EXIT_INVALID;
    }
  if (!dlg_key_has_private (key))
    {
      fprintf (stderr, "%s: error: %s\n", key_path, _("this is a public key; signing needs the private key (keygen --output)"));
      return EXIT_INVALID;
    }

  if (period == NULL)
    period = current_year ();

  profile.name = org;
  profile.enterprise_number = org_id;
  profile.country = country;
  ev = dlg_evaluate (assessment, quick_scan);
  report = dlg_report_new (assessment, ev, &profile, recipients, period, language, plan_node, supersedes, &error);
  if (report == NULL || !(jws = dlg_report_sign (report, key, &error)))
    {
      fprintf (stderr, "diligence-tool report: %s\n", error->message);
      return EXIT_INVALID;
    }

  /* The exact signed bytes, with no newline: a review names the report
   * by the SHA-256 of the file. */
  if (!write_output (output, jws, strlen (jws)))
    return EXIT_USAGE;

  fingerprint = dlg_key_get_fingerprint (key);
  printf ("%s\n", dlg_report_get_id (report));
  fprintf (stderr, _("Signed report %s for %s with key %s\n"), dlg_report_get_id (report), period, fingerprint);
  return EXIT_SUCCESS;
}

/* Reads a signed document and checks it: against the keys given, or
 * else against this user's known organisations (trust.json). */
static DlgSignedDocument *
open_signed (const char  *path,
             char       **trusted_key_paths,
             gboolean    *io_error)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(DlgTrustStore) trust = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *trust_path = NULL;
  DlgSignedDocument *doc;

  *io_error = FALSE;

  for (guint i = 0; trusted_key_paths != NULL && trusted_key_paths[i] != NULL; i++)
    {
      DlgKey *key = read_key (trusted_key_paths[i], &error);

      if (key == NULL)
        {
          fprintf (stderr, "%s: error: %s\n", trusted_key_paths[i], error->message);
          *io_error = TRUE;
          return NULL;
        }
      /* A private key file is accepted; only its public half is used. */
      g_ptr_array_add (keys, dlg_key_get_public (key));
      g_object_unref (key);
    }

  if (!(bytes = dlg_file_read (path, DLG_JWS_MAX_SIZE, &error)))
    {
      fprintf (stderr, "%s: error: %s\n", path, error->message);
      *io_error = TRUE;
      return NULL;
    }

  /* Without keys given, this user's known organisations decide, as in
   * the app. With keys given, only they do. */
  if (keys->len == 0)
    {
      trust_path = dlg_trust_store_get_default_path ();
      trust = dlg_trust_store_open (trust_path, &error);
      if (trust == NULL)
        fprintf (stderr, "diligence-tool: %s\n", error->message);
    }

  doc = dlg_signed_document_new (bytes);
  dlg_signed_document_check (doc, keys, NULL, trust);
  return doc;
}

/* Why a document is not valid, in one line. */
static char *
describe_problem (DlgSignedDocument *doc,
                  gboolean           keys_given)
{
  g_autofree char *fingerprint = dlg_signed_document_get_fingerprint (doc);

  switch (dlg_signed_document_get_status (doc))
    {
    case DLG_SIGNATURE_INVALID:
      {
        const GError *error = dlg_signed_document_get_error (doc);

        return g_strdup_printf (_("invalid: %s"), error->message);
      }
    case DLG_SIGNATURE_UNKNOWN_SIGNER:
      if (keys_given)
        return g_strdup_printf (_("not signed by a trusted key: it names the key %s"), fingerprint);
      return g_strdup_printf (_("unknown signer: the key %s is not known here; give the sender's public key "
                                "with --trusted-key, after comparing its fingerprint with theirs"), fingerprint);
    case DLG_SIGNATURE_UNTRUSTED:
      return g_strdup_printf (_("the signature is valid, but the key %s is not marked trusted: compare its "
                                "fingerprint with the sender's, then trust it in Diligence or give it with --trusted-key"),
                              fingerprint);
    case DLG_SIGNATURE_VALID:
    case DLG_SIGNATURE_UNCHECKED:
    default:
      return NULL;
    }
}

static int
cmd_verify (int    argc,
            char **argv)
{
  g_auto(GStrv) trusted_keys = NULL;
  GOptionEntry entries[] = {
    { "trusted-key", 't', 0, G_OPTION_ARG_FILENAME_ARRAY, &trusted_keys,
      N_("Accept only this public key (JWK or PEM); repeat for several"), N_("KEY") },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    make_context (_("FILE"),
                  _("Checks a signed report or review (a compact JWS): its form, its signature and its\n"
                    "contents. With --trusted-key, the signing key must be one of those given; without,\n"
                    "it must be a key you trusted in Diligence. Prints the signer, the key id and its\n"
                    "fingerprint; the reason for a refusal goes to standard error.\n"
                    "Exit status: 0 valid and signed by a trusted key, 1 anything else,\n"
                    "2 usage or I/O error."),
                  entries);
  g_autoptr(DlgSignedDocument) doc = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *problem = NULL;
  gboolean io_error;
  DlgSignedKind kind;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2)
    {
      fprintf (stderr, "diligence-tool verify: %s\n", _("Give one signed file"));
      return EXIT_USAGE;
    }

  if (!(doc = open_signed (argv[1], trusted_keys, &io_error)))
    return EXIT_USAGE;

  if ((problem = describe_problem (doc, trusted_keys != NULL)))
    {
      fprintf (stderr, "%s: %s\n", argv[1], problem);
      return EXIT_INVALID;
    }

  dlg_signed_document_get_kind (doc, &kind);
  fingerprint = dlg_signed_document_get_fingerprint (doc);
  printf (_("%s: valid %s, signed by %s (%s)\n"), argv[1],
          kind == DLG_SIGNED_REPORT ? _("report") : _("review"),
          dlg_signed_document_get_signer_name (doc), dlg_signed_document_get_signer_id (doc));
  printf ("%s: %s\n", _("Id"), dlg_signed_document_get_id (doc));
  printf ("%s: %s\n", _("Key id"), dlg_signed_document_get_key_id (doc));
  printf ("%s: %s\n", _("Fingerprint"), fingerprint);
  printf ("%s: %s\n", _("SHA-256"), dlg_signed_document_get_sha256 (doc));
  if (kind == DLG_SIGNED_REVIEW)
    {
      DlgReview *review = dlg_signed_document_get_review (doc);

      printf ("%s: %s\n", _("Report"), dlg_review_get_report_id (review));
      printf ("%s: %s\n", _("Decision"), dlg_decision_get_label (dlg_review_get_decision (review)));
    }
  else
    {
      DlgReport *report = dlg_signed_document_get_report (doc);

      printf ("%s: %s\n", _("Period"), dlg_report_get_period (report));
      printf ("%s: %s\n", _("Level"), dlg_level_get_label (dlg_report_get_level (report)));
      if (dlg_report_get_supersedes (report) != NULL)
        printf ("%s: %s\n", _("Supersedes"), dlg_report_get_supersedes (report));
    }
  return EXIT_SUCCESS;
}

static int
cmd_export (int    argc,
            char **argv)
{
  g_autofree char *format = NULL;
  g_autofree char *output = NULL;
  g_auto(GStrv) trusted_keys = NULL;
  GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, N_("pdf, csv or json"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write to FILE"), N_("FILE") },
    { "trusted-key", 't', 0, G_OPTION_ARG_FILENAME_ARRAY, &trusted_keys,
      N_("Check the signature with this public key (JWK or PEM); repeat for several"), N_("KEY") },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    make_context (_("FILE"),
                  _("Writes a readable copy of a signed report: PDF (A4, with the signature's fingerprint\n"
                    "and status on the cover), CSV of the answers, or the payload as indented JSON.\n"
                    "The signature is checked first, as verify does: a changed or damaged report is\n"
                    "refused. A report whose key is not known here is exported with “not verified”\n"
                    "on its cover, and a warning.\n"
                    "Exit status: 0 written, 1 not a valid report, 2 usage or I/O error."),
                  entries);
  g_autoptr(DlgSignedDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *signer = NULL;
  DlgSignatureStatus status;
  DlgSignedKind kind;
  DlgReport *report;
  const char *status_text;
  gboolean io_error;
  gboolean ok;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2 || output == NULL)
    {
      fprintf (stderr, "diligence-tool export: %s\n", _("Give one signed report and --output FILE"));
      return EXIT_USAGE;
    }
  if (format == NULL || (strcmp (format, "pdf") != 0 && strcmp (format, "csv") != 0 && strcmp (format, "json") != 0))
    {
      fprintf (stderr, "diligence-tool export: %s\n", _("--format is pdf, csv or json"));
      return EXIT_USAGE;
    }

  if (!(doc = open_signed (argv[1], trusted_keys, &io_error)))
    return EXIT_USAGE;

  status = dlg_signed_document_get_status (doc);
  problem = describe_problem (doc, trusted_keys != NULL);
  if (status == DLG_SIGNATURE_INVALID || (status == DLG_SIGNATURE_UNKNOWN_SIGNER && trusted_keys != NULL))
    {
      fprintf (stderr, "%s: %s\n", argv[1], problem);
      return EXIT_INVALID;
    }
  if (!dlg_signed_document_get_kind (doc, &kind) || kind != DLG_SIGNED_REPORT)
    {
      fprintf (stderr, "%s: %s\n", argv[1], _("this is a review; only reports are exported"));
      return EXIT_INVALID;
    }
  if (problem != NULL)
    fprintf (stderr, "%s: %s: %s\n", argv[1], _("warning"), problem);

  report = dlg_signed_document_get_report (doc);
  fingerprint = dlg_signed_document_get_fingerprint (doc);
  signer = g_strdup_printf ("%s (%s)", dlg_report_get_organisation_name (report), dlg_report_get_organisation_id (report));
  switch (status)
    {
    case DLG_SIGNATURE_VALID: status_text = _("Verified"); break;
    case DLG_SIGNATURE_UNTRUSTED: status_text = _("Signature valid; key not confirmed"); break;
    case DLG_SIGNATURE_UNKNOWN_SIGNER:
    default: status_text = _("Not verified: the signer's key is not known"); break;
    }

  if (strcmp (format, "pdf") == 0)
    ok = dlg_report_export_pdf (report, signer, fingerprint, status_text, output, &error);
  else if (strcmp (format, "csv") == 0)
    ok = dlg_report_export_csv (report, output, &error);
  else
    ok = dlg_report_export_json (report, output, &error);

  if (!ok)
    {
      fprintf (stderr, "diligence-tool export: %s\n", error->message);
      return EXIT_USAGE;
    }
  return EXIT_SUCCESS;
}

/* ------------------------------------------------------------------------ */
/* The app's data                                                           */
/* ------------------------------------------------------------------------ */

static char *
default_store_path (void)
{
  return g_build_filename (g_get_user_data_dir (), APP_ID, "diligence.sqlite", NULL);
}

/* Opens the store the app uses, or the one given. It is never created
 * here: a path without data is a mistake to report. SQLite's locking lets
 * this run while the app is open; reading never disturbs it. */
static DlgStore *
open_store (const char *path)
{
  g_autofree char *default_path = NULL;
  g_autoptr(GError) error = NULL;
  DlgStore *store;

  if (path == NULL)
    path = default_path = default_store_path ();

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      fprintf (stderr, "diligence-tool: %s: %s\n", path, _("no Diligence data here (use --store PATH)"));
      return NULL;
    }

  if (!(store = dlg_store_open (path, &error)))
    {
      fprintf (stderr, "diligence-tool: %s: %s\n", path, error->message);
      return NULL;
    }
  return store;
}

/* Finds an assessment by its id or a unique beginning of it, as people
 * copy ids from the list. */
static char *
resolve_assessment (DlgStore   *store,
                    const char *id,
                    int        *status)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  const char *found = NULL;
  guint n = 0;

  if (!(list = dlg_store_list_assessments (store, &error)))
    {
      fprintf (stderr, "diligence-tool: %s\n", error->message);
      *status = EXIT_USAGE;
      return NULL;
    }

  for (guint i = 0; i < list->len; i++)
    {
      DlgAssessmentInfo *info = g_ptr_array_index (list, i);

      if (strcmp (info->id, id) == 0)
        return g_strdup (info->id);
      if (strlen (id) >= 4 && g_str_has_prefix (info->id, id))
        {
          found = info->id;
          n++;
        }
    }

  if (n == 1)
    return g_strdup (found);

  fprintf (stderr, "diligence-tool: %s: %s\n", id,
           n > 1 ? _("more than one assessment starts with this; give more of the id")
                 : _("no such assessment (see “diligence-tool assessments”)"));
  *status = EXIT_INVALID;
  return NULL;
}

static gboolean
parse_today (const char *text,
             GDate      *today)
{
  g_autofree char *now = NULL;

  if (text == NULL)
    text = now = dlg_date_today ();
  if (!dlg_date_parse (text, today))
    {
      fprintf (stderr, "diligence-tool: --today: %s\n", _("give a date as YYYY-MM-DD"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_output (const char  *output,
              const char  *data,
              gsize        length)
{
  g_autoptr(GError) error = NULL;

  if (output == NULL || strcmp (output, "-") == 0)
    return fwrite (data, 1, length, stdout) == length && fflush (stdout) == 0;

  /* Complete or absent: written to a temporary file, synced, renamed. */
  if (!g_file_set_contents_full (output, data, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0644, &error))
    {
      fprintf (stderr, "diligence-tool: %s\n", error->message);
      return FALSE;
    }
  return TRUE;
}

static const char *
score_text (gboolean has_score,
            double   score,
            char    *buffer,
            gsize    size)
{
  if (!has_score)
    return "–";
  g_snprintf (buffer, size, "%.0f %%", score);
  return buffer;
}

static int
cmd_assessments (int    argc,
                 char **argv)
{
  g_autofree char *store_path = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "store", 0, 0, G_OPTION_ARG_FILENAME, &store_path, N_("Diligence's data file (default: the app's)"), N_("PATH") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    make_context (NULL,
                  _("Lists the assessments, most recently changed first: id, period, questionnaire id,\n"
                    "version, level, score, title — tab-separated, or as JSON with --json."),
                  entries);
  g_autoptr(DlgStore) store = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 1)
    {
      fprintf (stderr, "diligence-tool assessments: %s\n", _("No arguments are taken"));
      return EXIT_USAGE;
    }
  if (!(store = open_store (store_path)))
    return EXIT_USAGE;
  if (!(list = dlg_store_list_assessments (store, &error)))
    {
      fprintf (stderr, "diligence-tool: %s\n", error->message);
      return EXIT_USAGE;
    }

  json_builder_begin_array (b);
  for (guint i = 0; i < list->len; i++)
    {
      DlgAssessmentInfo *info = g_ptr_array_index (list, i);
      char buffer[32];

      if (!json)
        {
          printf ("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", info->id, info->period ? info->period : "",
                  info->questionnaire_id, info->questionnaire_version, dlg_level_to_string (info->level),
                  score_text (info->has_score, info->score, buffer, sizeof buffer), info->title);
          continue;
        }

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, info->id);
      json_builder_set_member_name (b, "title");
      json_builder_add_string_value (b, info->title);
      json_builder_set_member_name (b, "period");
      json_builder_add_string_value (b, info->period);
      json_builder_set_member_name (b, "recipient");
      json_builder_add_string_value (b, info->recipient);
      json_builder_set_member_name (b, "questionnaire");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, info->questionnaire_id);
      json_builder_set_member_name (b, "version");
      json_builder_add_string_value (b, info->questionnaire_version);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "quick_scan");
      json_builder_add_boolean_value (b, info->quick_scan);
      json_builder_set_member_name (b, "level");
      json_builder_add_string_value (b, dlg_level_to_string (info->level));
      json_builder_set_member_name (b, "score");
      if (info->has_score)
        json_builder_add_double_value (b, info->score);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "previous");
      json_builder_add_string_value (b, info->previous_id);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  if (json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (b);
      g_autofree char *text = json_to_string (root, TRUE);

      printf ("%s\n", text);
    }
  return EXIT_SUCCESS;
}

static int
cmd_actions_export (int    argc,
                    char **argv)
{
  g_autofree char *store_path = NULL;
  g_autofree char *format = NULL;
  g_autofree char *output = NULL;
  g_autofree char *today_text = NULL;
  gboolean open_only = FALSE;
  gboolean bom = FALSE;
  GOptionEntry entries[] = {
    { "store", 0, 0, G_OPTION_ARG_FILENAME, &store_path, N_("Diligence's data file (default: the app's)"), N_("PATH") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, N_("csv (default) or json"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write to FILE (default: standard output)"), N_("FILE") },
    { "open-only", 0, 0, G_OPTION_ARG_NONE, &open_only, N_("CSV: only actions not yet done"), NULL },
    { "bom", 0, 0, G_OPTION_ARG_NONE, &bom, N_("CSV: start with a UTF-8 byte-order mark, for spreadsheets on Windows"), NULL },
    { "today", 0, 0, G_OPTION_ARG_STRING, &today_text, N_("CSV: the date overdue is counted from (default: today)"), N_("YYYY-MM-DD") },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    make_context (_("ASSESSMENT_ID"),
                  _("Exports an assessment's corrective action plan.\n"
                    "CSV (RFC 4180, UTF-8): one row per action in the plan, the columns the app\n"
                    "imports back; JSON: the whole plan, proposals and review history included,\n"
                    "as in docs/action-plan-format.md. The id may be shortened to a unique beginning.\n"
                    "Exit status: 0 exported, 1 no such assessment, 2 usage or I/O error."),
                  entries);
  g_autoptr(DlgStore) store = NULL;
  g_autoptr(DlgActionPlan) plan = NULL;
  g_autoptr(DlgAssessment) assessment = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *data = NULL;
  GDate today;
  gsize length;
  int status = EXIT_SUCCESS;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2)
    {
      fprintf (stderr, "diligence-tool actions export: %s\n", _("Give one assessment id"));
      return EXIT_USAGE;
    }
  if (format != NULL && strcmp (format, "csv") != 0 && strcmp (format, "json") != 0)
    {
      fprintf (stderr, "diligence-tool actions export: %s\n", _("--format is csv or json"));
      return EXIT_USAGE;
    }
  if (!parse_today (today_text, &today))
    return EXIT_USAGE;

  if (!(store = open_store (store_path)))
    return EXIT_USAGE;
  if (!(id = resolve_assessment (store, argv[1], &status)))
    return status;

  if (!(plan = dlg_store_load_action_plan (store, id, &error)) ||
      !(assessment = dlg_store_load_assessment (store, id, &error)))
    {
      fprintf (stderr, "diligence-tool: %s\n", error->message);
      return EXIT_USAGE;
    }

  if (format != NULL && strcmp (format, "json") == 0)
    {
      g_autoptr(JsonNode) node = dlg_action_plan_to_json (plan);
      g_autofree char *text = json_to_string (node, TRUE);

      data = g_strconcat (text, "\n", NULL);
      length = strlen (data);
    }
  else
    {
      DlgQuestionnaire *q = dlg_assessment_get_questionnaire (assessment);

      data = dlg_action_plan_to_csv (plan, q, dlg_language_pick (dlg_questionnaire_get_languages (q)), &today,
                                     (open_only ? DLG_PLAN_CSV_OPEN_ONLY : 0) | (bom ? DLG_PLAN_CSV_BOM : 0),
                                     &length);
    }

  return write_output (output, data, length) ? EXIT_SUCCESS : EXIT_USAGE;
}

static int
cmd_actions (int    argc,
             char **argv)
{
  if (argc >= 2 && strcmp (argv[1], "export") == 0)
    {
      g_set_prgname ("diligence-tool actions export");
      return cmd_actions_export (argc - 1, argv + 1);
    }

  if (argc >= 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0))
    {
      printf ("%s\n\n", _("Usage: diligence-tool actions export [OPTION…] ASSESSMENT_ID"));
      printf ("%s\n", _("Run “diligence-tool actions export --help” for its options."));
      return EXIT_SUCCESS;
    }

  fprintf (stderr, "diligence-tool actions: %s\n", _("Usage: diligence-tool actions export [OPTION…] ASSESSMENT_ID"));
  return EXIT_USAGE;
}

static int
cmd_progress (int    argc,
              char **argv)
{
  g_autofree char *store_path = NULL;
  g_autofree char *today_text = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "store", 0, 0, G_OPTION_ARG_FILENAME, &store_path, N_("Diligence's data file (default: the app's)"), N_("PATH") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON, with every section"), NULL },
    { "today", 0, 0, G_OPTION_ARG_STRING, &today_text, N_("The date overdue is counted from (default: today)"), N_("YYYY-MM-DD") },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    make_context (_("ASSESSMENT_ID"),
                  _("Shows every period of the assessment's questionnaire (full questionnaire or quick\n"
                    "scan, as the assessment): level, score and open, overdue and closed actions,\n"
                    "oldest period first.\n"
                    "Exit status: 0 shown, 1 no such assessment, 2 usage or I/O error."),
                  entries);
  g_autoptr(DlgStore) store = NULL;
  g_autoptr(DlgAssessmentInfo) info = NULL;
  g_autoptr(GPtrArray) periods = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(Table) table = NULL;
  g_autofree char *id = NULL;
  int status = EXIT_SUCCESS;
  GDate today;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2)
    {
      fprintf (stderr, "diligence-tool progress: %s\n", _("Give one assessment id"));
      return EXIT_USAGE;
    }
  if (!parse_today (today_text, &today))
    return EXIT_USAGE;
  if (!(store = open_store (store_path)))
    return EXIT_USAGE;
  if (!(id = resolve_assessment (store, argv[1], &status)))
    return status;

  if (!(info = dlg_store_get_assessment_info (store, id, &error)) ||
      !(periods = dlg_store_list_periods (store, info->questionnaire_id, info->quick_scan, NULL, &today, &error)))
    {
      fprintf (stderr, "diligence-tool: %s\n", error->message);
      return EXIT_USAGE;
    }

  if (!json)
    {
      /* Right-aligned: the score and the three counts. */
      table = table_new (7, (1u << 2) | (1u << 3) | (1u << 4) | (1u << 5));
      table_add (table, _("Period"), _("Level"), _("Score"), _("Open"), _("Overdue"), _("Closed"), _("Title"));
    }

  json_builder_begin_array (b);
  for (guint i = 0; i < periods->len; i++)
    {
      DlgPeriodSummary *p = g_ptr_array_index (periods, i);
      char buffer[32];

      if (!json)
        {
          char open[16], overdue[16], closed[16];

          g_snprintf (open, sizeof open, "%u", p->n_open);
          g_snprintf (overdue, sizeof overdue, "%u", p->n_overdue);
          g_snprintf (closed, sizeof closed, "%u", p->n_closed);
          table_add (table, p->period, dlg_level_get_label (p->level),
                     score_text (p->has_score, p->score, buffer, sizeof buffer),
                     open, overdue, closed, p->title);
          continue;
        }

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "assessment");
      json_builder_add_string_value (b, p->assessment_id);
      json_builder_set_member_name (b, "period");
      json_builder_add_string_value (b, p->period);
      json_builder_set_member_name (b, "title");
      json_builder_add_string_value (b, p->title);
      json_builder_set_member_name (b, "questionnaire_version");
      json_builder_add_string_value (b, p->questionnaire_version);
      json_builder_set_member_name (b, "complete");
      json_builder_add_boolean_value (b, p->complete);
      json_builder_set_member_name (b, "level");
      json_builder_add_string_value (b, dlg_level_to_string (p->level));
      json_builder_set_member_name (b, "score");
      if (p->has_score)
        json_builder_add_double_value (b, p->score);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "sections");
      json_builder_begin_array (b);
      for (guint s = 0; s < p->sections->len; s++)
        {
          DlgSectionSummary *section = g_ptr_array_index (p->sections, s);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, section->section_id);
          json_builder_set_member_name (b, "visible");
          json_builder_add_boolean_value (b, section->visible);
          json_builder_set_member_name (b, "level");
          json_builder_add_string_value (b, dlg_level_to_string (section->level));
          json_builder_set_member_name (b, "score");
          if (section->has_score)
            json_builder_add_double_value (b, section->score);
          else
            json_builder_add_null_value (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "actions");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "open");
      json_builder_add_int_value (b, p->n_open);
      json_builder_set_member_name (b, "overdue");
      json_builder_add_int_value (b, p->n_overdue);
      json_builder_set_member_name (b, "closed");
      json_builder_add_int_value (b, p->n_closed);
      json_builder_set_member_name (b, "proposed");
      json_builder_add_int_value (b, p->n_proposed);
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  if (json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (b);
      g_autofree char *text = json_to_string (root, TRUE);

      printf ("%s\n", text);
    }
  else
    table_print (table);
  return EXIT_SUCCESS;
}

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("DILIGENCE_LOCALEDIR");

  setlocale (LC_ALL, "");
  /* Run from the build tree (by the tests, or a developer), the
   * translations are there rather than installed. */
  bindtextdomain (GETTEXT_PACKAGE, localedir && *localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      print_usage (stderr);
      return EXIT_USAGE;
    }

  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "help") == 0)
    {
      print_usage (stdout);
      return EXIT_SUCCESS;
    }

  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("diligence-tool %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      {
        g_autofree char *prgname = g_strdup_printf ("diligence-tool %s", commands[i].name);

        g_set_prgname (prgname);
        return commands[i].run (argc - 1, argv + 1);
      }

  fprintf (stderr, "diligence-tool: %s\n\n", _("Unknown command"));
  print_usage (stderr);
  return EXIT_USAGE;
}
