/* bench-tool.c - validating and scoring a 10,000-question questionnaire
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Measures whole diligence-tool processes, as a script would run them, on a
 * generated questionnaire of 10,000 questions in four languages with
 * conditions, and a complete answers file. Times are medians of several
 * runs, reported beside baselines measured in the same run on the same
 * machine: the start-up of the same binary (`--version`) and json-glib's
 * own parser reading the same file. Nothing here asserts a time.
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#define N_SECTIONS 100
#define N_PER_SECTION 100
#define N_RUNS 11

static gboolean lean;

static void
append_text (GString    *s,
             const char *what,
             guint       n)
{
  if (lean)
    {
      g_string_append_printf (s, "{\"en\":\"%s %u\",\"fr\":\"%s %u\",\"nl\":\"%s %u\",\"de\":\"%s %u\"}",
                              what, n, what, n, what, n, what, n);
      return;
    }

  g_string_append_printf (s,
                          "{\"en\":\"%s %u in English, long enough to look like a real question?\","
                          "\"fr\":\"%s %u en français, assez long pour ressembler à une vraie question ?\","
                          "\"nl\":\"%s %u in het Nederlands, lang genoeg om op een echte vraag te lijken?\","
                          "\"de\":\"%s %u auf Deutsch, lang genug, um wie eine echte Frage auszusehen?\"}",
                          what, n, what, n, what, n, what, n);
}

static void
generate (const char *questionnaire_path,
          const char *answers_path)
{
  g_autoptr(GString) q = g_string_new (NULL);
  g_autoptr(GString) a = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_string_append (q, "{\"format\":\"diligence-questionnaire/1\",\"id\":\"bench.large\",\"version\":\"1\","
                      "\"kind\":\"custom\",\"default_language\":\"en\",\"languages\":[\"en\",\"fr\",\"nl\",\"de\"],"
                      "\"title\":");
  append_text (q, "Title", 0);
  g_string_append (q, ",\"publisher\":");
  append_text (q, "Publisher", 0);
  g_string_append (q, ",\"scoring\":{\"method\":\"weighted\",\"thresholds\":{\"green\":80,\"amber\":50}},\"sections\":[");

  g_string_append (a, "{\"format\":\"diligence-answers/1\",\"questionnaire\":{\"id\":\"bench.large\",\"version\":\"1\"},\"answers\":{");

  for (guint s = 0; s < N_SECTIONS; s++)
    {
      g_string_append_printf (q, "%s{\"id\":\"s%u\",\"title\":", s ? "," : "", s);
      append_text (q, "Section", s);
      g_string_append (q, ",\"scoring\":{\"method\":\"weighted\",\"thresholds\":{\"green\":80,\"amber\":50}},\"questions\":[");

      for (guint i = 0; i < N_PER_SECTION; i++, n++)
        {
          g_string_append_printf (q, "%s{\"id\":\"q%u\",\"text\":", i ? "," : "", n);
          append_text (q, "Question", n);
          g_string_append (q, ",\"guidance\":");
          append_text (q, "Guidance", n);

          switch (n % 5)
            {
            case 0:
              g_string_append (q, ",\"type\":\"single_choice\",\"quick_scan\":true,\"options\":[");
              for (guint o = 0; o < 4; o++)
                {
                  g_string_append_printf (q, "%s{\"id\":\"o%u\",\"level\":\"%s\",\"label\":", o ? "," : "", o,
                                          (const char *[]) { "green", "amber", "red", "grey" }[o]);
                  append_text (q, "Option", o);
                  g_string_append_c (q, '}');
                }
              g_string_append (q, "]}");
              g_string_append_printf (a, "%s\"q%u\":{\"value\":\"o%u\"}", n ? "," : "", n, n % 3);
              break;
            case 1:
              /* Shown when the previous choice was not red. */
              g_string_append_printf (q, ",\"type\":\"yes_no\",\"partly\":true,"
                                         "\"visible_if\":{\"not\":{\"question\":\"q%u\",\"equals\":\"o2\"}}}", n - 1);
              g_string_append_printf (a, ",\"q%u\":{\"value\":\"%s\",\"comment\":\"Checked on site\"}", n,
                                      n % 2 ? "yes" : "partly");
              break;
            case 2:
              g_string_append (q, ",\"type\":\"number\",\"min\":0,\"max\":168,\"bands\":"
                                  "[{\"max\":48,\"level\":\"green\"},{\"max\":60,\"level\":\"amber\"},{\"level\":\"red\"}]}");
              g_string_append_printf (a, ",\"q%u\":{\"value\":%u}", n, 40 + n % 30);
              break;
            case 3:
              g_string_append (q, ",\"type\":\"multiple_choice\",\"options\":[");
              for (guint o = 0; o < 3; o++)
                {
                  g_string_append_printf (q, "%s{\"id\":\"m%u\",\"level\":\"%s\",\"label\":", o ? "," : "", o,
                                          (const char *[]) { "green", "amber", "red" }[o]);
                  append_text (q, "Choice", o);
                  g_string_append_c (q, '}');
                }
              g_string_append (q, "]}");
              g_string_append_printf (a, ",\"q%u\":{\"value\":[\"m0\",\"m1\"]}", n);
              break;
            default:
              g_string_append (q, ",\"type\":\"text\",\"required\":false}");
              g_string_append_printf (a, ",\"q%u\":{\"value\":\"Our policy is published on our website.\"}", n);
              break;
            }
        }

      g_string_append (q, "]}");
    }

  g_string_append (q, "]}\n");
  g_string_append (a, "}}\n");

  g_file_set_contents (questionnaire_path, q->str, q->len, &error);
  g_assert_no_error (error);
  g_file_set_contents (answers_path, a->str, a->len, &error);
  g_assert_no_error (error);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), (int (*) (const void *, const void *)) compare_doubles);
  return values[n / 2];
}

/* Median wall time, in milliseconds, of running the tool with @args. */
static double
time_process (const char * const *args)
{
  double times[N_RUNS];

  for (guint i = 0; i < N_RUNS; i++)
    {
      g_autoptr(GSubprocess) proc = NULL;
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();

      proc = g_subprocess_newv (args, G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
      g_assert_no_error (error);
      g_subprocess_wait_check (proc, NULL, &error);
      /* A benchmark of a failing command would measure nothing. */
      g_assert_no_error (error);
      times[i] = (g_get_monotonic_time () - start) / 1000.0;
    }

  return median (times, N_RUNS);
}

static double
time_json_glib (const char *path)
{
  double times[N_RUNS];

  for (guint i = 0; i < N_RUNS; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();

      json_parser_load_from_mapped_file (parser, path, &error);
      g_assert_no_error (error);
      times[i] = (g_get_monotonic_time () - start) / 1000.0;
    }

  return median (times, N_RUNS);
}

static void
run_case (const char *tool,
          const char *dir,
          const char *label)
{
  g_autofree char *qpath = g_build_filename (dir, "large.json", NULL);
  g_autofree char *apath = g_build_filename (dir, "large-answers.json", NULL);
  GStatBuf st;
  double startup, validate, score, quick, parse;

  generate (qpath, apath);
  g_stat (qpath, &st);

  startup = time_process ((const char * const[]) { tool, "--version", NULL });
  validate = time_process ((const char * const[]) { tool, "validate", qpath, NULL });
  score = time_process ((const char * const[]) { tool, "score", qpath, apath, NULL });
  quick = time_process ((const char * const[]) { tool, "score", "--quick-scan", "--json", qpath, apath, NULL });
  parse = time_json_glib (qpath);

  printf ("# %s: %u questions in 4 languages, %.1f MiB, median of %u runs\n",
          label, N_SECTIONS * N_PER_SECTION, st.st_size / (1024.0 * 1024.0), N_RUNS);
  printf ("baseline: diligence-tool --version (process start-up)  %7.1f ms\n", startup);
  printf ("baseline: json-glib JsonParser, same file, in process  %7.1f ms\n", parse);
  printf ("validate (whole process)                                %7.1f ms  %5.2f× start-up  %5.2f× json-glib parse\n",
          validate, validate / startup, validate / parse);
  printf ("validate + score (whole process)                        %7.1f ms  %5.2f× start-up  %5.2f× json-glib parse\n",
          score, score / startup, score / parse);
  printf ("quick scan, JSON output (whole process)                 %7.1f ms  %5.2f× start-up\n\n",
          quick, quick / startup);

  if (g_getenv ("BENCH_KEEP") == NULL)
    {
      g_remove (qpath);
      g_remove (apath);
    }
}

int
main (int   argc,
      char *argv[])
{
  const char *tool = g_getenv ("DILIGENCE_TOOL");
  g_autofree char *dir = g_dir_make_tmp ("dlg-bench-XXXXXX", NULL);

  g_assert_nonnull (tool);

  /* Short strings: the cost of the structure (ids, options, conditions). */
  lean = TRUE;
  if (g_strcmp0 (g_getenv ("BENCH_ONLY"), "full") != 0)
    run_case (tool, dir, "short texts");

  /* Sentence-long texts, guidance and labels, like real content. */
  lean = FALSE;
  if (g_strcmp0 (g_getenv ("BENCH_ONLY"), "short") != 0)
    run_case (tool, dir, "full texts");

  if (g_getenv ("BENCH_KEEP") == NULL)
    g_rmdir (dir);
  else
    printf ("# kept %s\n", dir);
  return 0;
}
