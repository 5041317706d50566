// The playground page: posts actions as JSON, shows ephemeral replies, applies live updates (server-sent events).
"use strict";
(function () {
  const body = document.body;
  const persona = body.dataset.persona;
  const channel = body.dataset.channel;
  const ephemeral = document.getElementById("ephemeral");

  function markPressed(root) {
    root.querySelectorAll(".reaction").forEach(function (button) {
      const reactors = JSON.parse(button.dataset.reactors || "[]");
      button.setAttribute("aria-pressed", reactors.indexOf(persona) >= 0 ? "true" : "false");
    });
  }

  function showEphemeral(htmls, error) {
    ephemeral.innerHTML = "";
    if (!htmls.length && !error) return;
    const box = document.createElement("div");
    box.className = "ephemeral" + (error ? " error" : "");
    const note = document.createElement("p");
    note.className = "only-you";
    note.textContent = "Only visible to you";
    box.appendChild(note);
    if (error) {
      const p = document.createElement("p");
      p.textContent = error;
      box.appendChild(p);
    }
    htmls.forEach(function (html) { box.insertAdjacentHTML("beforeend", html); });
    ephemeral.appendChild(box);
  }

  function showUpcoming(items) {
    const list = document.getElementById("upcoming");
    list.innerHTML = "";
    if (!items.length) {
      const empty = document.createElement("li");
      empty.textContent = "No scheduled jobs";
      list.appendChild(empty);
    }
    items.forEach(function (upcoming) {
      const item = document.createElement("li");
      item.textContent = upcoming.line + " ";
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.clock = "job";
      button.dataset.job = upcoming.job;
      button.textContent = upcoming.again ? "Rehearse again" : "Rehearse";
      button.setAttribute("aria-label", "Rehearse " + upcoming.description + (upcoming.again ? " again" : " now"));
      item.appendChild(button);
      list.appendChild(item);
    });
  }

  async function post(path, data) {
    const payload = Object.assign({ as: persona, channel: channel }, data);
    let answer;
    try {
      const response = await fetch("/playground/api/" + path, {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload),
      });
      answer = await response.json();
    } catch (failure) {
      answer = { error: "The bot is not answering (" + failure + "). Nothing was sent." };
    }
    showEphemeral(answer.ephemeral || [], answer.error);
    return answer;
  }

  function upsertPost(id, html) {
    const existing = document.getElementById("post-" + id);
    const focusedId = document.activeElement && document.activeElement.id;
    const typed = existing && existing.querySelector(".reply-form input");
    const draft = typed ? typed.value : "";
    if (existing) existing.outerHTML = html;
    else document.getElementById("posts").insertAdjacentHTML("beforeend", html);
    const fresh = document.getElementById("post-" + id);
    markPressed(fresh);
    const input = fresh.querySelector(".reply-form input");
    if (input && draft) input.value = draft;
    if (focusedId && document.getElementById(focusedId)) document.getElementById(focusedId).focus();
  }

  function connect() {
    const source = new EventSource("/playground/events?as=" + encodeURIComponent(persona));
    source.onopen = function () { body.dataset.live = "on"; };
    source.onmessage = function (message) {
      const event = JSON.parse(message.data);
      if (event.type === "post" && event.conversation === channel) upsertPost(event.id, event.html);
      if (event.type === "direct") document.getElementById("direct-list").insertAdjacentHTML("beforeend", event.html);
    };
  }

  document.getElementById("composer").addEventListener("submit", async function (e) {
    e.preventDefault();
    const input = document.getElementById("composer-text");
    const answer = await post("command", { text: input.value });
    if (!answer.error) input.value = "";
  });

  document.addEventListener("click", async function (e) {
    const target = e.target.closest("button");
    if (!target) return;
    const postItem = target.closest(".post");
    if (target.classList.contains("reaction") && postItem) {
      const reply = target.closest(".entry");
      await post("reaction", { message: postItem.dataset.id, emoji: target.dataset.emoji,
                               reply: reply ? reply.dataset.reply : "" });
    } else if (target.classList.contains("msg-action")) {
      await post("action", { message: postItem ? postItem.dataset.id : "", action: target.dataset.action,
                             value: target.dataset.value });
    } else if (target.dataset.clock) {
      const preview = document.getElementById("digest-preview").checked;
      const answer = await post("clock", { what: target.dataset.clock, job: target.dataset.job || "",
                                           preview: preview });
      document.getElementById("clock-result").textContent = answer.result || answer.error || "";
      if (answer.upcoming) showUpcoming(answer.upcoming);
    }
  });

  document.addEventListener("submit", async function (e) {
    const form = e.target;
    if (form.classList.contains("reply-form")) {
      e.preventDefault();
      const input = form.querySelector("input");
      const answer = await post("reply", { message: form.closest(".post").dataset.id, text: input.value });
      if (!answer.error && !(answer.ephemeral || []).length) input.value = "";
    } else if (form.classList.contains("idea-form")) {
      e.preventDefault();
      const source = form.elements.source ? { source: form.elements.source.value } : {};
      await post("form", Object.assign({ challenge: form.elements.challenge.value, text: form.elements.text.value,
                                         anonymous: form.elements.anonymous.checked }, source));
    }
  });

  markPressed(document);
  connect();
})();
