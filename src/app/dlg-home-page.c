/* dlg-home-page.c - the organisation's assessments
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each row says what a supplier needs before opening it: the questionnaire
 * and its version, the period and buyer, how far it is, its level as colour,
 * icon and word, its state and when it last changed. Rows emit
 * ::open-assessment and ::delete-assessment; the window does the work.
 */

#define G_LOG_DOMAIN "dlg-home-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "dlg-home-page.h"
#include "dlg-info-row.h"
#include "dlg-level-badge.h"

enum {
  SORT_CHANGED,
  SORT_TITLE,
  SORT_PERIOD,
  SORT_LEVEL,
};

struct _DlgHomePage
{
  GtkWidget        parent_instance;

  /* Template widgets */
  GtkToggleButton *search_button;
  GtkSearchBar    *search_bar;
  GtkSearchEntry  *search_entry;
  GtkStack        *stack;
  GtkDropDown     *sort_dropdown;
  GtkListBox      *list;
  GtkWidget       *received_box;
  GtkListBox      *received_list;
  AdwClamp        *sync_clamp;
  AdwActionRow    *outbox_summary_row;
  AdwActionRow    *inbox_summary_row;
  GtkImage        *outbox_summary_icon;

  /* Owned references */
  GListModel      *received;
  DlgTrustStore   *trust;
  GPtrArray       *infos;
  GHashTable      *titles;       /* questionnaire checksum → title */
  char            *search;
  guint            n_rows;
};

G_DEFINE_FINAL_TYPE (DlgHomePage, dlg_home_page, GTK_TYPE_WIDGET)

enum {
  OPEN_ASSESSMENT,
  DELETE_ASSESSMENT,
  OPEN_RECEIVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
state_label (DlgAssessmentState state)
{
  switch (state)
    {
    case DLG_ASSESSMENT_STATE_COMPLETE: return _("Complete");
    case DLG_ASSESSMENT_STATE_SIGNED: return _("Signed");
    case DLG_ASSESSMENT_STATE_DRAFT:
    default:
      return _("Draft");
    }
}

static char *
format_changed (gint64 unix_time)
{
  g_autoptr(GDateTime) then = g_date_time_new_from_unix_local (unix_time);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GTimeSpan span = g_date_time_difference (now, then);

  if (span < G_TIME_SPAN_MINUTE)
    return g_strdup (_("changed just now"));
  if (span < G_TIME_SPAN_HOUR)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "changed %d minute ago", "changed %d minutes ago",
                                         (int) (span / G_TIME_SPAN_MINUTE)),
                            (int) (span / G_TIME_SPAN_MINUTE));
  if (span < G_TIME_SPAN_DAY)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "changed %d hour ago", "changed %d hours ago",
                                         (int) (span / G_TIME_SPAN_HOUR)),
                            (int) (span / G_TIME_SPAN_HOUR));
  /* TRANSLATORS: %s is a date in the locale's format */
  {
    g_autofree char *date = g_date_time_format (then, "%x");
    return g_strdup_printf (_("changed on %s"), date);
  }
}

/* The questionnaire's title in the user's language, or its id when the
 * questionnaire is no longer available (an imported file later removed). */
static const char *
questionnaire_title (DlgHomePage             *self,
                     const DlgAssessmentInfo *info)
{
  const char *title = NULL;

  if (self->titles != NULL && info->questionnaire_checksum != NULL)
    title = g_hash_table_lookup (self->titles, info->questionnaire_checksum);
  return title ? title : info->questionnaire_id;
}

static char *
search_key (DlgHomePage             *self,
            const DlgAssessmentInfo *info)
{
  g_autofree char *joined = g_strjoin (" ", info->title ? info->title : "",
                                       questionnaire_title (self, info),
                                       info->questionnaire_id ? info->questionnaire_id : "",
                                       info->period ? info->period : "",
                                       info->recipient ? info->recipient : "", NULL);
  return g_utf8_casefold (joined, -1);
}

static void
delete_clicked_cb (GtkButton   *button,
                   DlgHomePage *self)
{
  g_signal_emit (self, signals[DELETE_ASSESSMENT], 0, g_object_get_data (G_OBJECT (button), "id"));
}

static GtkWidget *
create_row (DlgHomePage             *self,
            const DlgAssessmentInfo *info)
{
  GtkWidget *row = dlg_info_row_new ();
  GtkWidget *badge = dlg_level_badge_new ();
  GtkWidget *delete = gtk_button_new_from_icon_name ("user-trash-symbolic");
  g_autofree char *changed = format_changed (info->updated_at);
  g_autofree char *progress = g_strdup_printf (_("%.0f %% answered"), info->progress * 100);
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autofree char *delete_label = g_strdup_printf (_("Delete “%s”"), info->title);

  /* TRANSLATORS: a questionnaire's title and its version, e.g. "ICT supply-chain due diligence, version 2026.1" */
  g_string_append_printf (subtitle, _("%s, version %s"), questionnaire_title (self, info), info->questionnaire_version);
  if (info->quick_scan)
    g_string_append_printf (subtitle, " · %s", _("quick scan"));
  if (info->period && *info->period)
    g_string_append_printf (subtitle, " · %s", info->period);
  if (info->recipient && *info->recipient)
    g_string_append_printf (subtitle, " · %s", info->recipient);
  g_string_append_printf (subtitle, "\n%s · %s · %s", state_label (info->state), progress, changed);

  /* Not an AdwActionRow, for the time to the first frame: see
   * dlg-info-row.c. Wraps to as many lines as a narrow window needs. */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), info->title ? info->title : "");
  dlg_info_row_set_subtitle (DLG_INFO_ROW (row), subtitle->str);

  dlg_level_badge_set_level (DLG_LEVEL_BADGE (badge), info->level);
  if (info->has_score && info->level != DLG_LEVEL_INCOMPLETE)
    {
      g_autofree char *score = g_strdup_printf ("%.0f %%", info->score);
      dlg_level_badge_set_detail (DLG_LEVEL_BADGE (badge), score);
    }
  dlg_info_row_add_suffix (DLG_INFO_ROW (row), badge);

  gtk_widget_set_valign (delete, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (delete, "flat");
  gtk_widget_set_tooltip_text (delete, delete_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (delete), GTK_ACCESSIBLE_PROPERTY_LABEL, delete_label, -1);
  g_object_set_data_full (G_OBJECT (delete), "id", g_strdup (info->id), g_free);
  g_signal_connect (delete, "clicked", G_CALLBACK (delete_clicked_cb), self);
  dlg_info_row_add_suffix (DLG_INFO_ROW (row), delete);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data (G_OBJECT (row), "info", (gpointer) info);
  g_object_set_data_full (G_OBJECT (row), "search-key", search_key (self, info), g_free);
  return row;
}

static gboolean
filter_func (GtkListBoxRow *row,
             gpointer       user_data)
{
  DlgHomePage *self = user_data;

  return self->search == NULL ||
         strstr (g_object_get_data (G_OBJECT (row), "search-key"), self->search) != NULL;
}

static int
sort_func (GtkListBoxRow *a,
           GtkListBoxRow *b,
           gpointer       user_data)
{
  DlgHomePage *self = user_data;
  const DlgAssessmentInfo *x = g_object_get_data (G_OBJECT (a), "info");
  const DlgAssessmentInfo *y = g_object_get_data (G_OBJECT (b), "info");

  switch (gtk_drop_down_get_selected (self->sort_dropdown))
    {
    case SORT_TITLE:
      return g_utf8_collate (x->title ? x->title : "", y->title ? y->title : "");
    case SORT_PERIOD:
      /* Newest period first. */
      return -g_strcmp0 (x->period, y->period);
    case SORT_LEVEL:
      /* Worst first: that is where the work is. */
      if (x->level != y->level)
        return (int) y->level - (int) x->level;
      break;
    case SORT_CHANGED:
    default:
      break;
    }

  return x->updated_at < y->updated_at ? 1 : x->updated_at > y->updated_at ? -1 : 0;
}

static void
update_stack (DlgHomePage *self)
{
  guint n_received = self->received ? g_list_model_get_n_items (self->received) : 0;
  guint shown = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    shown += filter_func (GTK_LIST_BOX_ROW (row), self);

  /* A buyer may have received reports without any assessment of their own. */
  gtk_widget_set_visible (self->received_box, n_received > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->list), self->n_rows > 0);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->sort_dropdown)), self->n_rows > 0);
  if (self->n_rows == 0 && n_received == 0)
    gtk_stack_set_visible_child_name (self->stack, "empty");
  else if (self->n_rows == 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else if (shown == 0)
    gtk_stack_set_visible_child_name (self->stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->stack, "list");
}

static void
search_changed_cb (DlgHomePage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  g_clear_pointer (&self->search, g_free);
  if (text && *text)
    self->search = g_utf8_casefold (text, -1);
  gtk_list_box_invalidate_filter (self->list);
  update_stack (self);
}

static void
sort_changed_cb (DlgHomePage *self)
{
  gtk_list_box_invalidate_sort (self->list);
}

static void
row_activated_cb (DlgHomePage   *self,
                  GtkListBoxRow *row)
{
  const DlgAssessmentInfo *info = g_object_get_data (G_OBJECT (row), "info");

  g_signal_emit (self, signals[OPEN_ASSESSMENT], 0, info->id);
}

static void
received_activated_cb (DlgHomePage   *self,
                       GtkListBoxRow *row)
{
  const char *id = g_object_get_data (G_OBJECT (row), "id");

  if (id != NULL)
    g_signal_emit (self, signals[OPEN_RECEIVED], 0, id);
}

static GtkWidget *
create_received_row (gpointer item,
                     gpointer user_data)
{
  DlgHomePage *self = user_data;
  DlgInboxItem *received = item;
  DlgTrustedKey *key = self->trust && dlg_inbox_item_get_key_id (received)
                       ? dlg_trust_store_lookup (self->trust, dlg_inbox_item_get_key_id (received)) : NULL;
  gboolean trusted = key != NULL && dlg_trusted_key_get_trusted (key);
  const char *sender = key ? dlg_trusted_key_get_organisation_name (key) : dlg_inbox_item_get_sender_id (received);
  gboolean is_review = dlg_inbox_item_get_kind (received) == DLG_SIGNED_REVIEW;
  DlgReceivedVia via = dlg_inbox_item_get_via (received);
  g_autofree char *date = g_date_time_format (dlg_inbox_item_get_received_at (received), "%x");
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (is_review ? "mail-reply-sender-symbolic" : "x-office-document-symbolic");
  GtkWidget *trust_icon = gtk_image_new_from_icon_name (trusted ? "security-high-symbolic" : "dialog-warning-symbolic");

  /* TRANSLATORS: a received document in a list: "Report from Acme SA" */
  title = g_markup_printf_escaped (is_review ? _("Review from %s") : _("Report from %s"), sender ? sender : "—");
  /* TRANSLATORS: when a document came, how, whether its key is trusted, and whether it is new */
  subtitle = g_markup_printf_escaped ("%s · %s · %s%s",
                                      date,
                                      (via & DLG_RECEIVED_VIA_SYNC) ? ((via & DLG_RECEIVED_VIA_FILE) ? _("by file and sync") : _("by sync"))
                                                                    : _("by file"),
                                      trusted ? _("signed with a trusted key") : _("key not confirmed"),
                                      dlg_inbox_item_get_read (received) ? "" : _(" · new"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_accessible_update_state (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (trust_icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), trust_icon);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "id", g_strdup (dlg_inbox_item_get_id (received)), g_free);
  return row;
}

static void
received_changed_cb (DlgHomePage *self)
{
  update_stack (self);
}

/**
 * dlg_home_page_set_received:
 * @received: (nullable): the inbox, a list of #DlgInboxItem
 * @trust: (nullable): the known keys, to name the senders
 */
void
dlg_home_page_set_received (DlgHomePage   *self,
                            GListModel    *received,
                            DlgTrustStore *trust)
{
  g_return_if_fail (DLG_IS_HOME_PAGE (self));

  if (self->received != NULL)
    g_signal_handlers_disconnect_by_func (self->received, received_changed_cb, self);
  g_set_object (&self->received, received);
  g_set_object (&self->trust, trust);
  gtk_list_box_bind_model (self->received_list, received, received ? create_received_row : NULL, self, NULL);
  if (received != NULL)
    g_signal_connect_swapped (received, "items-changed", G_CALLBACK (received_changed_cb), self);
  update_stack (self);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DlgHomePage *self = DLG_HOME_PAGE (widget);

  gtk_toggle_button_set_active (self->search_button, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
dlg_home_page_dispose (GObject *object)
{
  GtkWidget *child;
  DlgHomePage *self = (DlgHomePage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), DLG_TYPE_HOME_PAGE);
  /* The template's top-level children are not all bound; unparent them all. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_pointer (&self->infos, g_ptr_array_unref);
  g_clear_pointer (&self->titles, g_hash_table_unref);
  g_clear_pointer (&self->search, g_free);
  if (self->received != NULL)
    g_signal_handlers_disconnect_by_func (self->received, received_changed_cb, self);
  g_clear_object (&self->received);
  g_clear_object (&self->trust);

  G_OBJECT_CLASS (dlg_home_page_parent_class)->dispose (object);
}

static void
dlg_home_page_class_init (DlgHomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dlg_home_page_dispose;

  /**
   * DlgHomePage::open-assessment:
   * @id: the assessment's id
   */
  signals[OPEN_ASSESSMENT] =
    g_signal_new ("open-assessment", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * DlgHomePage::delete-assessment:
   * @id: the assessment's id
   */
  signals[DELETE_ASSESSMENT] =
    g_signal_new ("delete-assessment", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * DlgHomePage::open-received:
   * @id: the received report's or review's id
   */
  signals[OPEN_RECEIVED] =
    g_signal_new ("open-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dlg-home-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DlgHomePage, search_button);
  gtk_widget_class_bind_template_child (widget_class, DlgHomePage, search_bar);
  gtk_widget_class_bind_template_child (widget_class, DlgHomePage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DlgHomePage, stack);
  gtk_widget_class_bind_template_child (widget_class, DlgHomePage, sort_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DlgHomePage, list);
  gtk_widget_class_bind_template_child (widget_class, DlgHomePage, received_box);
  gtk_widget_class_bind_template_child (widget_class, DlgHomePage, received_list);
  gtk_widget_class_bind_template_child (widget_class, DlgHomePage, sync_clamp);
  gtk_widget_class_bind_template_child (widget_class, DlgHomePage, outbox_summary_row);
  gtk_widget_class_bind_template_child (widget_class, DlgHomePage, inbox_summary_row);
  gtk_widget_class_bind_template_child (widget_class, DlgHomePage, outbox_summary_icon);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sort_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, received_activated_cb);

  gtk_widget_class_install_action (widget_class, "home.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "home.search", NULL);
}

static void
dlg_home_page_init (DlgHomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_list_box_set_filter_func (self->list, filter_func, self, NULL);
  gtk_list_box_set_sort_func (self->list, sort_func, self, NULL);
  update_stack (self);
}

GtkWidget *
dlg_home_page_new (void)
{
  return g_object_new (DLG_TYPE_HOME_PAGE, NULL);
}

/**
 * dlg_home_page_set_assessments:
 * @infos: (element-type DlgAssessmentInfo): the assessments to list
 * @questionnaires: (element-type DlgQuestionnaire) (nullable): the
 *   questionnaires available, to name each assessment's questionnaire
 */
void
dlg_home_page_set_assessments (DlgHomePage *self,
                               GPtrArray   *infos,
                               GPtrArray   *questionnaires)
{
  GtkWidget *child;

  g_return_if_fail (DLG_IS_HOME_PAGE (self));

  g_clear_pointer (&self->titles, g_hash_table_unref);
  self->titles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; questionnaires != NULL && i < questionnaires->len; i++)
    {
      DlgQuestionnaire *q = g_ptr_array_index (questionnaires, i);
      const char *language = dlg_language_pick (dlg_questionnaire_get_languages (q));

      g_hash_table_insert (self->titles,
                           g_strdup (dlg_questionnaire_get_checksum (q)),
                           g_strdup (dlg_text_get (dlg_questionnaire_get_title (q), language)));
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))))
    gtk_list_box_remove (self->list, child);

  g_clear_pointer (&self->infos, g_ptr_array_unref);
  self->infos = g_ptr_array_ref (infos);
  self->n_rows = infos->len;

  for (guint i = 0; i < infos->len; i++)
    gtk_list_box_append (self->list, create_row (self, g_ptr_array_index (infos, i)));

  update_stack (self);
}

/**
 * dlg_home_page_set_sync_status:
 * @n_pending: signed documents waiting to be sent
 * @n_rejected: signed documents the server refused
 * @n_unread: received reports and reviews not opened yet
 *
 * Shows a row leading to the outbox while something there needs
 * attention or is still on its way, and one leading to the inbox while
 * something there is new; none otherwise.
 */
void
dlg_home_page_set_sync_status (DlgHomePage *self,
                               guint        n_pending,
                               guint        n_rejected,
                               guint        n_unread)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *escaped = NULL;
  g_autofree char *unread = NULL;

  g_return_if_fail (DLG_IS_HOME_PAGE (self));

  if (n_pending > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u signed document waiting to be sent",
                                               "%u signed documents waiting to be sent", n_pending), n_pending);
  if (n_rejected > 0)
    {
      if (text->len > 0)
        g_string_append (text, " · ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u refused by the server: needs your attention",
                                                 "%u refused by the server: need your attention", n_rejected),
                              n_rejected);
    }
  escaped = g_markup_escape_text (text->str, -1);
  adw_action_row_set_subtitle (self->outbox_summary_row, escaped);

  /* Words and an icon, not a colour alone, for what needs attention. */
  gtk_image_set_from_icon_name (self->outbox_summary_icon,
                                n_rejected > 0 ? "dialog-warning-symbolic" : "mail-send-symbolic");
  if (n_rejected > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->outbox_summary_icon), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->outbox_summary_icon), "warning");

  unread = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new report or review", "%u new reports or reviews",
                                         n_unread), n_unread);
  adw_action_row_set_subtitle (self->inbox_summary_row, unread);

  gtk_widget_set_visible (GTK_WIDGET (self->outbox_summary_row), n_pending > 0 || n_rejected > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->inbox_summary_row), n_unread > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_clamp), n_pending > 0 || n_rejected > 0 || n_unread > 0);
}

guint
dlg_home_page_get_n_rows (DlgHomePage *self)
{
  g_return_val_if_fail (DLG_IS_HOME_PAGE (self), 0);
  return self->n_rows;
}
