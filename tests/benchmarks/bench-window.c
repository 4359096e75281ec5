/* bench-window.c - time to first frame and memory, against a bare window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each case runs in a fresh process (this program, re-executed), timed from
 * spawn until the process reports its first drawn frame:
 *
 *   bare        an AdwApplicationWindow with a header bar: the baseline
 *   app         Diligence's own application and first window
 *   assessment  a window showing a generated 2,000-question assessment
 *
 * The three cases take turns, round after round; results are medians of
 * each round's ratio to the baseline, with the resident memory at the
 * first frame. Nothing asserts a time.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlg-application.h"
#include "dlg-assessment-page.h"
#include "dlg-core.h"

#define N_RUNS 9
#define N_QUESTIONS 2000

static const char *mode;
static const char *questionnaire_path;

static long
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line ? strtol (line + 6, NULL, 10) : -1;
}

static void
after_paint_cb (GdkFrameClock *clock,
                GApplication  *app)
{
  /* First frame drawn: report and leave. */
  printf ("FRAME %ld\n", rss_kib ());
  fflush (stdout);
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, app);
  exit (0);
}

static void
watch_first_frame (GtkWidget    *window,
                   GApplication *app)
{
  GdkFrameClock *clock;

  gtk_widget_realize (window);
  clock = gtk_widget_get_frame_clock (window);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), app);
}

static void
window_added_cb (GtkApplication *app,
                 GtkWindow      *window)
{
  watch_first_frame (GTK_WIDGET (window), G_APPLICATION (app));
}

static void
bare_activate_cb (GtkApplication *app)
{
  GtkWidget *window = adw_application_window_new (app);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 680);
  gtk_window_present (GTK_WINDOW (window));
}

static void
assessment_activate_cb (GtkApplication *app)
{
  GtkWidget *window = adw_application_window_new (app);
  GtkWidget *page = dlg_assessment_page_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(DlgQuestionnaire) q = NULL;
  g_autoptr(DlgAssessment) assessment = NULL;
  g_autoptr(GError) error = NULL;

  bytes = dlg_file_read (questionnaire_path, DLG_JSON_MAX_SIZE, &error);
  g_assert_no_error (error);
  q = dlg_questionnaire_new_from_bytes (bytes, NULL, &error);
  g_assert_no_error (error);
  assessment = dlg_assessment_new (q);

  dlg_assessment_page_set_assessment (DLG_ASSESSMENT_PAGE (page), assessment, FALSE, "Benchmark");
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), page);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 680);
  gtk_window_present (GTK_WINDOW (window));
}

static int
run_child (void)
{
  g_autoptr(GtkApplication) app = NULL;

  /* Every case is timed the same way: from the window's first frame. */
  if (strcmp (mode, "app") == 0)
    app = GTK_APPLICATION (dlg_application_new ());
  else
    {
      app = GTK_APPLICATION (adw_application_new ("io.github.diligence.Benchmark", G_APPLICATION_NON_UNIQUE));
      g_signal_connect (app, "activate",
                        strcmp (mode, "bare") == 0 ? G_CALLBACK (bare_activate_cb)
                                                   : G_CALLBACK (assessment_activate_cb),
                        NULL);
    }

  g_signal_connect (app, "window-added", G_CALLBACK (window_added_cb), NULL);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  return g_application_run (G_APPLICATION (app), 0, NULL);
}

static void
generate (const char *path)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_string_append (s, "{\"format\":\"diligence-questionnaire/1\",\"id\":\"bench.window\",\"version\":\"1\","
                      "\"kind\":\"custom\",\"default_language\":\"en\",\"languages\":[\"en\"],"
                      "\"title\":\"Benchmark\",\"publisher\":\"Benchmark\",\"sections\":[");
  for (guint sec = 0; sec < 20; sec++)
    {
      g_string_append_printf (s, "%s{\"id\":\"s%u\",\"title\":\"Section %u\",\"questions\":[", sec ? "," : "", sec, sec);
      for (guint i = 0; i < N_QUESTIONS / 20; i++, n++)
        g_string_append_printf (s, "%s{\"id\":\"q%u\",\"type\":\"single_choice\",\"text\":\"Question %u: does the "
                                   "supplier keep records of working hours for every production site?\","
                                   "\"guidance\":\"Keep the records of the last audit.\",\"evidence\":\"optional\","
                                   "\"options\":[{\"id\":\"a\",\"label\":\"Yes, for every site\",\"level\":\"green\"},"
                                   "{\"id\":\"b\",\"label\":\"For some sites\",\"level\":\"amber\"},"
                                   "{\"id\":\"c\",\"label\":\"No\",\"level\":\"red\"}]}",
                                i ? "," : "", n, n);
      g_string_append (s, "]}");
    }
  g_string_append (s, "]}");

  g_file_set_contents (path, s->str, s->len, &error);
  g_assert_no_error (error);
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* One run of one case in a fresh process: milliseconds from spawn to the
 * first frame, and the resident memory then. */
static void
run_once (const char *self_path,
          const char *child_mode,
          const char *qpath,
          double     *ms,
          double     *rss_mib)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  gint64 start = g_get_monotonic_time ();
  const char *frame;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                           self_path, "--child", child_mode, qpath, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  *ms = (g_get_monotonic_time () - start) / 1000.0;

  frame = out ? strstr (out, "FRAME ") : NULL;
  if (frame == NULL)
    g_error ("%s: no frame was drawn", child_mode);
  *rss_mib = strtol (frame + 6, NULL, 10) / 1024.0;
}

static double
median (double *values)
{
  qsort (values, N_RUNS, sizeof (double), compare_doubles);
  return values[N_RUNS / 2];
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autofree char *qpath = NULL;
  g_autofree char *self_path = NULL;
  double bare_ms[N_RUNS], bare_rss[N_RUNS], app_ms[N_RUNS], app_rss[N_RUNS];
  double page_ms[N_RUNS], page_rss[N_RUNS], app_ratio[N_RUNS], page_ratio[N_RUNS];

  if (argc == 4 && strcmp (argv[1], "--child") == 0)
    {
      mode = argv[2];
      questionnaire_path = argv[3];
      return run_child ();
    }

  self_path = g_canonicalize_filename (argv[0], NULL);
  dir = g_dir_make_tmp ("dlg-bench-window-XXXXXX", NULL);
  qpath = g_build_filename (dir, "questionnaire.json", NULL);
  generate (qpath);

  /* The cases take turns, and each ratio is taken within one round, so
   * that a machine that gets busier or quieter during the run moves the
   * baseline and the case together. */
  for (guint i = 0; i < N_RUNS; i++)
    {
      run_once (self_path, "bare", qpath, &bare_ms[i], &bare_rss[i]);
      run_once (self_path, "app", qpath, &app_ms[i], &app_rss[i]);
      run_once (self_path, "assessment", qpath, &page_ms[i], &page_rss[i]);
      app_ratio[i] = app_ms[i] / bare_ms[i];
      page_ratio[i] = page_ms[i] / bare_ms[i];
      app_rss[i] -= bare_rss[i];
      page_rss[i] -= bare_rss[i];
    }

  printf ("# time from spawn to first drawn frame; medians of %u rounds, each round running\n"
          "# the three cases in turn; ratios are medians of each round's ratio\n", N_RUNS);
  printf ("baseline: bare AdwApplicationWindow + header bar   %7.1f ms  RSS %6.1f MiB\n",
          median (bare_ms), median (bare_rss));
  printf ("diligence first window                             %7.1f ms  %5.2f× baseline (target ≤ 1.2×)  RSS %+6.1f MiB\n",
          median (app_ms), median (app_ratio), median (app_rss));
  printf ("%u-question assessment, workspace                %7.1f ms  %5.2f× baseline (target ≤ 1.5×)  RSS %+6.1f MiB (target ≤ +40)\n",
          N_QUESTIONS, median (page_ms), median (page_ratio), median (page_rss));

  g_remove (qpath);
  g_rmdir (dir);
  return 0;
}
