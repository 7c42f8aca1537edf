// What a message shows of its email and its files: the subject and sender address of an
// email, "View original", and attachments (a download chip each; images as previews).
// Everything is text nodes and attributes set by the DOM: an email's content never becomes
// markup here.
import { h } from "../../lib/dom.js";
import { icon } from "../../components/icons.js";
import { formatNumber, t } from "../../lib/i18n.js";

const PREVIEWABLE = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

export function fileSize(bytes) {
  const size = (value, unit, digits) => formatNumber(value, {
    style: "unit", unit, unitDisplay: "short", minimumFractionDigits: digits, maximumFractionDigits: digits,
  });
  if (bytes < 1024) return size(bytes, "byte", 0);
  if (bytes < 1024 * 1024) return size(bytes / 1024, "kilobyte", bytes < 10240 ? 1 : 0);
  return size(bytes / 1024 / 1024, "megabyte", 1);
}

/** The email line above a message: its subject and who sent it, with "View original". */
export function emailLine(msg) {
  const email = msg.email;
  if (!email) return null;
  const from = msg.type === "incoming" && email.from_address
    ? h("span.email-from", { title: email.from_address }, email.from_address) : null;
  const original = email.has_original
    ? h("a.link-btn.view-original", { href: `/api/messages/${msg.id}/original`, download: `message-${msg.id}.eml` },
      t("email.viewOriginal"))
    : null;
  return h("div.email-line", icon("email"), h("span.email-subject", email.subject || t("email.noSubject")),
    from ? ["·", from] : null, original ? ["·", original] : null);
}

/** The attachments of a message: chips to download, previews for images. */
export function attachmentList(msg) {
  const files = msg.attachments || [];
  if (!files.length) return null;
  return h("ul.attachments", { "aria-label": t("email.attachments") }, files.map((file) => {
    const url = `/api/attachments/${file.id}`;
    const preview = PREVIEWABLE.has(file.content_type)
      ? h("a.attachment-preview", { href: url, target: "_blank", rel: "noopener" },
        h("img", { src: url, alt: file.filename, loading: "lazy" }))
      : null;
    return h("li.attachment", preview,
      h("a.file-chip", { href: url, download: file.filename, title: t("email.download", { name: file.filename }) },
        icon("file"), h("span.file-name", file.filename), h("span.meta", fileSize(file.size)), icon("download")));
  }));
}
