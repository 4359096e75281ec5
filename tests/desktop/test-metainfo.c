/* test-metainfo.c - release notes read from AppStream metainfo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "dlg-core.h"

static const char *metainfo_path;

/* Shaped like what i18n.merge_file writes: each translation right after
 * its original, and indentation everywhere. */
static const char translated[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<component type=\"desktop-application\">\n"
  "  <id>org.example.App</id>\n"
  "  <description><p>Not a release.</p></description>\n"
  "  <releases>\n"
  "    <release version=\"0.2.0\" date=\"2027-01-01\">\n"
  "      <description>\n"
  "        <p>Second.</p>\n"
  "      </description>\n"
  "    </release>\n"
  "    <release version=\"0.1.0\" date=\"2026-11-24\">\n"
  "      <description>\n"
  "        <p>The   first\n          release &amp; more.</p>\n"
  "        <p xml:lang=\"fr\">La première version &amp; plus.</p>\n"
  "        <p xml:lang=\"nl\">De eerste versie.</p>\n"
  "        <ul>\n"
  "          <li>Import <em>questionnaires</em></li>\n"
  "          <li xml:lang=\"fr\">Import de <em>questionnaires</em></li>\n"
  "          <li>Use <code>a &lt; b</code></li>\n"
  "        </ul>\n"
  "      </description>\n"
  "    </release>\n"
  "    <release version=\"0.0.1\" date=\"2026-01-01\"/>\n"
  "  </releases>\n"
  "</component>\n";

static char *
notes_for (const char         *xml,
           const char         *version,
           const char * const *languages,
           GError            **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (xml, strlen (xml));

  return dlg_metainfo_get_release_notes (bytes, version, languages, error);
}

static void
test_metainfo_original (void)
{
  static const char * const languages[] = { "C", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *notes = notes_for (translated, "0.1.0", languages, &error);

  g_assert_no_error (error);
  /* Layout whitespace goes, markup is escaped again, the rest is kept. */
  g_assert_cmpstr (notes, ==,
                   "<p>The first release &amp; more.</p>"
                   "<ul><li>Import <em>questionnaires</em></li>"
                   "<li>Use <code>a &lt; b</code></li></ul>");
}

static void
test_metainfo_translated (void)
{
  static const char * const french[] = { "fr_BE.UTF-8", "fr_BE", "fr.UTF-8", "fr", "C", NULL };
  static const char * const dutch[] = { "nl_BE", "nl", "C", NULL };
  static const char * const german[] = { "de", "C", NULL };
  g_autofree char *fr = notes_for (translated, "0.1.0", french, NULL);
  g_autofree char *nl = notes_for (translated, "0.1.0", dutch, NULL);
  g_autofree char *de = notes_for (translated, "0.1.0", german, NULL);

  /* Translated where a translation exists, the original elsewhere. */
  g_assert_cmpstr (fr, ==,
                   "<p>La première version &amp; plus.</p>"
                   "<ul><li>Import de <em>questionnaires</em></li>"
                   "<li>Use <code>a &lt; b</code></li></ul>");
  g_assert_cmpstr (nl, ==,
                   "<p>De eerste versie.</p>"
                   "<ul><li>Import <em>questionnaires</em></li>"
                   "<li>Use <code>a &lt; b</code></li></ul>");
  g_assert_true (g_str_has_prefix (de, "<p>The first release"));
}

static void
test_metainfo_other_releases (void)
{
  static const char * const languages[] = { "C", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *second = notes_for (translated, "0.2.0", languages, &error);
  g_autofree char *empty = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (second, ==, "<p>Second.</p>");

  /* A release without a description has empty notes, not an error. */
  empty = notes_for (translated, "0.0.1", languages, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (empty, ==, "");
}

static void
test_metainfo_bad (void)
{
  static const char * const languages[] = { "C", NULL };
  static const char * const bad[] = {
    "",
    "<component><releases><release version=\"0.1.0\"><description><p>Unclosed",
    "<component><releases></release></releases></component>",
    "not xml at all",
  };
  g_autoptr(GError) error = NULL;
  char *notes;

  notes = notes_for (translated, "9.9.9", languages, &error);
  g_assert_error (error, DLG_METAINFO_ERROR, DLG_METAINFO_ERROR_NO_RELEASE);
  g_assert_null (notes);
  g_clear_error (&error);

  /* A release outside <component><releases> is not the app's. */
  notes = notes_for ("<component><custom><release version=\"0.1.0\"><description><p>x</p>"
                     "</description></release></custom></component>", "0.1.0", languages, &error);
  g_assert_error (error, DLG_METAINFO_ERROR, DLG_METAINFO_ERROR_NO_RELEASE);
  g_assert_null (notes);
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      notes = notes_for (bad[i], "0.1.0", languages, &error);
      g_assert_error (error, DLG_METAINFO_ERROR, DLG_METAINFO_ERROR_INVALID);
      g_assert_null (notes);
      g_clear_error (&error);
    }
}

/* The metainfo the build installs has notes for the version it builds. */
static void
test_metainfo_built (void)
{
  static const char * const languages[] = { "C", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *notes = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (metainfo_path, &contents, &length, &error));
  g_assert_no_error (error);

  notes = notes_for (contents, PACKAGE_VERSION, languages, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (notes, "<p>"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (argc != 2)
    g_error ("Usage: %s [GTEST-OPTION…] BUILT-METAINFO", argv[0]);
  metainfo_path = argv[1];

  g_test_add_func ("/metainfo/original", test_metainfo_original);
  g_test_add_func ("/metainfo/translated", test_metainfo_translated);
  g_test_add_func ("/metainfo/other-releases", test_metainfo_other_releases);
  g_test_add_func ("/metainfo/bad", test_metainfo_bad);
  g_test_add_func ("/metainfo/built", test_metainfo_built);

  return g_test_run ();
}
