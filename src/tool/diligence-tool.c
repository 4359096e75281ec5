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

static const Command commands[] = {
  { "validate", N_("Check questionnaire files and report every problem"), cmd_validate },
  { "score", N_("Evaluate answers against a questionnaire"), cmd_score },
  { "list", N_("List the built-in questionnaires"), cmd_list },
  { "keygen", N_("Make a new Ed25519 signing key"), cmd_keygen },
  { "pubkey", N_("Print the public half of a key as JWK or PEM"), cmd_pubkey },
};

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n\n", _("Usage: diligence-tool COMMAND [OPTION…] [ARGUMENT…]"));
  fprintf (out, "%s\n\n", _("Due-diligence questionnaires on the command line."));
  fprintf (out, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
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

  /* TRANSLATORS: questionnaire title, version, "full questionnaire" or "quick scan" */
  printf (_("%s, version %s — %s\n\n"),
          dlg_text_get (dlg_questionnaire_get_title (q), language),
          dlg_questionnaire_get_version (q),
          ev->quick_scan ? _("quick scan") : _("full questionnaire"));

  printf ("%-12s %8s  %-9s  %s\n", _("Level"), _("Score"), _("Answered"), _("Section"));
  for (guint i = 0; i < ev->n_sections; i++)
    {
      const DlgSectionResult *sr = &ev->sections[i];
      g_autofree char *score = NULL;
      g_autofree char *answered = NULL;

      if (!sr->visible)
        continue;

      score = format_score (sr->has_score, sr->score, !sr->complete);
      answered = g_strdup_printf ("%u/%u", sr->n_required_answered, sr->n_required);
      printf ("%-12s %8s  %-9s  %s%s\n",
              dlg_level_to_string (sr->level), score, answered,
              dlg_text_get (sr->section->title, language),
              sr->critical_red ? _(" — critical finding") : "");
    }

  overall_score = format_score (ev->has_score, ev->score, !ev->complete);
  printf ("\n");
  printf (_("Overall: %s, score %s, %u of %u required questions answered%s\n"),
          dlg_level_to_string (ev->level), overall_score,
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

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
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
