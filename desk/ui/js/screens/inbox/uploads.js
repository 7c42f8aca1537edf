// Files for the composer: the Attach button and dropping files on the composer upload each
// one at once (POST /api/attachments) with its own progress bar; a reply then names them by
// id. A file over the limit is refused before any byte is sent.
import { h, clear } from "../../lib/dom.js";
import { icon } from "../../components/icons.js";
import { fileSize } from "./email-parts.js";
import { t } from "../../lib/i18n.js";
import { errorText } from "../../lib/api.js";

export const MAX_UPLOAD = 26214400; // 25 MiB, as the server's limit

export function createUploads() {
  const input = h("input", { type: "file", multiple: true, hidden: true, "aria-label": t("uploads.files") });
  const button = h("button.btn.small.ghost", { type: "button", title: t("uploads.attachTitle"), onclick: () => input.click() },
    icon("attach"), t("uploads.attach"));
  const list = h("ul.uploads", { "aria-label": t("uploads.list"), hidden: true });
  let items = [];

  input.addEventListener("change", () => {
    add([...input.files]);
    input.value = "";
  });

  function add(files) {
    for (const file of files) {
      const item = { file, id: null, state: "uploading", xhr: null };
      item.node = row(item);
      items.push(item);
      list.append(item.node);
      if (file.size > MAX_UPLOAD) fail(item, t("uploads.overLimit", { size: fileSize(file.size) }));
      else if (!file.size) fail(item, t("uploads.empty"));
      else send(item);
    }
    list.hidden = !items.length;
  }

  function row(item) {
    const progress = h("progress", { max: "100", value: "0", "aria-label": t("uploads.uploading", { name: item.file.name }) });
    const remove = h("button.icon-btn", { type: "button", "aria-label": t("uploads.remove", { name: item.file.name }), onclick: () => drop(item) }, icon("x"));
    item.status = h("span.meta.upload-status", { role: "status" }, fileSize(item.file.size));
    item.progress = progress;
    return h("li.upload", { dataset: { state: "uploading" } }, icon("file"), h("span.file-name", item.file.name), progress, item.status, remove);
  }

  function send(item) {
    const xhr = new XMLHttpRequest();
    item.xhr = xhr;
    xhr.open("POST", "/api/attachments");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) item.progress.value = Math.round((event.loaded / event.total) * 100);
    });
    xhr.addEventListener("load", () => {
      let data = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        data = null;
      }
      if (xhr.status === 201 && data) {
        item.id = data.id;
        item.state = "done";
        item.progress.value = 100;
        item.node.dataset.state = "done";
        clear(item.status, fileSize(data.size));
      } else {
        fail(item, errorText(data) || t("uploads.failed", { status: xhr.status }));
      }
    });
    xhr.addEventListener("error", () => fail(item, t("uploads.unreachable")));
    const form = new FormData();
    form.append("file", item.file, item.file.name);
    xhr.send(form);
  }

  function fail(item, message) {
    item.state = "failed";
    item.node.dataset.state = "failed";
    item.progress.hidden = true;
    clear(item.status, message);
    item.status.classList.add("error-text");
  }

  function drop(item) {
    if (item.xhr && item.state === "uploading") item.xhr.abort();
    items = items.filter((other) => other !== item);
    item.node.remove();
    list.hidden = !items.length;
  }

  /** Let files be dropped on `el` (the whole composer). */
  function dropTarget(el) {
    el.addEventListener("dragover", (event) => {
      if (![...(event.dataTransfer?.types || [])].includes("Files")) return;
      event.preventDefault();
      el.classList.add("drop-active");
    });
    el.addEventListener("dragleave", (event) => {
      if (!el.contains(event.relatedTarget)) el.classList.remove("drop-active");
    });
    el.addEventListener("drop", (event) => {
      el.classList.remove("drop-active");
      if (!event.dataTransfer?.files?.length) return;
      event.preventDefault();
      add([...event.dataTransfer.files]);
    });
  }

  return {
    button,
    input,
    list,
    dropTarget,
    add,
    ids: () => items.filter((i) => i.state === "done").map((i) => i.id),
    busy: () => items.some((i) => i.state === "uploading"),
    failed: () => items.some((i) => i.state === "failed"),
    reset() {
      items = [];
      clear(list);
      list.hidden = true;
    },
  };
}
