/* The observer's phone app (docs/observation-offline.md). It draws each form from its
   definition (GET /api/observation/forms), keeps every report in an IndexedDB queue
   under the UUID it gets when the observer presses send, and sends the queue when
   the phone is online: at once, on the "online" event, when the app starts, and every
   half minute. A report leaves the queue only when the server answers 200 or 201 (the
   server stores a report once per UUID, so sending it again is safe); a refusal other
   than 401 stays, marked, for the observer to correct; 401 asks them to log in.
   Each report carries the account that made it: the page shows and sends only the
   signed-in account's, so a phone passed to another observer never sends (or shows)
   the first one's reports under the second's name; they wait for their owner. */
"use strict";

(function () {
  const API = "/api/observation/";
  const body = document.body;
  const words = JSON.parse(document.getElementById("strings").textContent);
  const language = document.documentElement.lang || "ar";
  const $ = (id) => document.getElementById(id);
  let forms = [];
  let stations = [];
  let current = null;
  let syncing = false;

  /* --- IndexedDB: "queue" holds reports not yet accepted, "sent" the accepted --- */
  function openStore() {
    return new Promise((resolve, reject) => {
      const opening = indexedDB.open("shafaf-observe", 1);
      opening.onupgradeneeded = () => {
        opening.result.createObjectStore("queue", {keyPath: "id"});
        opening.result.createObjectStore("sent", {keyPath: "id"});
      };
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => reject(opening.error);
    });
  }
  const database = openStore();

  async function run(store, mode, work) {
    const db = await database;
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(store, mode);
      const request = work(transaction.objectStore(store));
      transaction.oncomplete = () => resolve(request ? request.result : undefined);
      transaction.onerror = () => reject(transaction.error);
    });
  }
  const all = (store) => run(store, "readonly", (s) => s.getAll());
  // Reports queued before reports carried their account belong to whoever is here.
  const mine = (report) => !report.account || report.account === body.dataset.account;
  const put = (store, item) => run(store, "readwrite", (s) => s.put(item));
  const remove = (store, id) => run(store, "readwrite", (s) => s.delete(id));

  /* --- words and labels --- */
  function label(thing) {
    if (!thing) { return ""; }
    return thing[language] || thing.ar || thing.en || "";
  }
  function element(tag, attributes, text) {
    const made = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => made.setAttribute(name, value));
    if (text !== undefined) { made.textContent = text; }
    return made;
  }
  function notice(text, kind) {
    const box = $("notice");
    box.textContent = text || "";
    box.className = "notice" + (kind ? " " + kind : "");
    box.hidden = !text;
  }
  function showNetwork() {
    const online = navigator.onLine;
    $("network").textContent = online ? words.online : words.offline;
    $("network").className = "network" + (online ? "" : " offline");
  }

  /* --- the forms and stations: from the network, else the worker's last copy --- */
  async function getJson(path) {
    const response = await fetch(API + path, {credentials: "same-origin",
                                              headers: {"Accept": "application/json"}});
    if (response.status === 401) { throw new Error("login"); }
    if (response.status === 403) { throw new Error("not_observer"); }
    if (!response.ok) { throw new Error("no_data"); }
    return response.json();
  }
  async function load() {
    try {
      [forms, stations] = await Promise.all([getJson("forms"), getJson("assignments")]);
    } catch (error) {
      notice(words[error.message] || words.no_data);
      return;
    }
    const select = $("station");
    select.replaceChildren(...stations.map((row) => element(
      "option", {value: row.station}, row.station + " · " + row.centre_name)));
    $("forms").replaceChildren(...forms.map((form) => {
      const item = element("li");
      const button = element("button", {type: "button", "data-form": form.code},
                             label(form.name) || form.code);
      button.addEventListener("click", () => open(form));
      item.append(button);
      return item;
    }));
  }

  /* --- one form, drawn from its definition --- */
  function field(question, answer) {
    const box = element("fieldset", {"data-question": question.id,
                                     "data-type": question.type});
    box.append(element("legend", {}, label(question.label) + (question.required ? " *" : "")));
    const name = "q-" + question.id;
    const options = element("div", {class: "options"});
    const option = (type, value, text, checked) => {
      const line = element("label");
      const input = element("input", {type: type, name: name, value: value});
      input.checked = checked;
      line.append(input, document.createTextNode(text));
      options.append(line);
    };
    if (question.type === "yes_no") {
      option("radio", "true", words.yes, answer === true);
      option("radio", "false", words.no, answer === false);
      box.append(options);
    } else if (question.type === "choice" || question.type === "multi") {
      const kind = question.type === "choice" ? "radio" : "checkbox";
      (question.choices || []).forEach((choice) => option(
        kind, choice.value, label(choice.label) || choice.value,
        Array.isArray(answer) ? answer.includes(choice.value) : answer === choice.value));
      box.append(options);
    } else if (question.type === "list_votes") {
      // One whole number per list on the chosen station's ballot (its assignment says
      // which); a list left empty is not sent.
      const lists = element("div", {class: "lists"});
      const given = answer && typeof answer === "object" ? answer : {};
      stationLists().forEach((list) => {
        const line = element("label", {class: "list-votes"});
        const input = element("input", {type: "number", inputmode: "numeric", step: "1",
                                         min: "0", name: name, "data-list": list.list_id,
                                         "aria-label": list.list_id + " " + list.name});
        input.value = given[list.list_id] === undefined ? "" : String(given[list.list_id]);
        line.append(element("span", {class: "list-name"}, list.list_id + " · " + list.name),
                    input);
        lists.append(line);
      });
      box.append(lists);
    } else if (question.type === "text") {
      const input = element("textarea", {name: name, maxlength: "2000", rows: "3",
                                         "aria-label": label(question.label)});
      input.value = answer || "";
      box.append(input);
    } else {
      const attributes = {name: name, "aria-label": label(question.label)};
      if (question.type === "number") {
        Object.assign(attributes, {type: "number", inputmode: "numeric", step: "1",
                                   min: String(question.min ?? 0)});
        if (question.max !== null && question.max !== undefined) {
          attributes.max = String(question.max);
        }
      } else {
        attributes.type = "time";
      }
      const input = element("input", attributes);
      input.value = answer === undefined || answer === null ? "" : String(answer);
      box.append(input);
    }
    box.append(element("p", {class: "problem", hidden: ""}));
    return box;
  }
  function stationLists() {
    const chosen = stations.find((row) => row.station === $("station").value);
    return chosen && chosen.lists ? chosen.lists : [];
  }
  function open(form, answers, station) {
    current = form;
    if (station) { $("station").value = station; }
    $("form-title").textContent = label(form.name) || form.code;
    $("questions").replaceChildren(...form.questions.map(
      (question) => field(question, (answers || {})[question.id])));
    $("pick").hidden = true;
    $("fill").hidden = false;
    $("questions").querySelector("input, textarea")?.focus();
  }
  function close() {
    current = null;
    $("fill").hidden = true;
    $("pick").hidden = false;
  }
  function read(question, box) {
    const name = "q-" + question.id;
    const checked = [...box.querySelectorAll(`input[name="${name}"]:checked`)]
      .map((input) => input.value);
    if (question.type === "yes_no") { return checked.length ? checked[0] === "true" : null; }
    if (question.type === "choice") { return checked.length ? checked[0] : null; }
    if (question.type === "multi") { return checked.length ? checked : null; }
    if (question.type === "list_votes") {
      const votes = {};
      box.querySelectorAll(`input[name="${name}"]`).forEach((input) => {
        const value = input.value.trim();
        if (value !== "") {
          votes[input.dataset.list] = /^\d+$/.test(value) ? Number(value) : value;
        }
      });
      return Object.keys(votes).length ? votes : null;
    }
    const value = box.querySelector(`[name="${name}"]`).value.trim();
    if (value === "") { return null; }
    if (question.type === "number") { return /^-?\d+$/.test(value) ? Number(value) : value; }
    return value;
  }
  function collect() {
    const answers = {};
    let complete = true;
    current.questions.forEach((question) => {
      const box = $("questions").querySelector(`[data-question="${question.id}"]`);
      const value = read(question, box);
      const problem = box.querySelector(".problem");
      const missing = question.required && value === null;
      problem.textContent = missing ? words.required : "";
      problem.hidden = !missing;
      complete = complete && !missing;
      if (value !== null) { answers[question.id] = value; }
    });
    return complete ? answers : null;
  }
  async function send(event) {
    event.preventDefault();
    const answers = collect();
    if (!answers) { return; }
    const report = {id: crypto.randomUUID(), form: current.code, version: current.version,
                    station: $("station").value, answers: answers, state: "waiting",
                    name: label(current.name) || current.code, created: Date.now(),
                    account: body.dataset.account};
    await put("queue", report);
    close();
    notice(words.queued, "info");
    await showQueue();
    sync();
  }

  /* --- the queue --- */
  function csrfToken() {
    const found = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
    return found ? decodeURIComponent(found.slice("csrftoken=".length)) : "";
  }
  async function sync() {
    if (syncing) { return; }
    syncing = true;
    try {
      const waiting = (await all("queue"))
        .filter((report) => report.state === "waiting" && mine(report));
      for (const report of waiting) {
        let response;
        try {
          response = await fetch(API + "submissions", {
            method: "POST", credentials: "same-origin",
            headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken()},
            body: JSON.stringify({id: report.id, form: report.form, version: report.version,
                                  station: report.station, answers: report.answers})});
        } catch (error) {
          break;  // no connection: everything waits for the next chance
        }
        if (response.status === 200 || response.status === 201) {
          const record = await response.json();
          await put("sent", {...report, state: "sent", received: record.received});
          await remove("queue", report.id);
        } else if (response.status === 401) {
          notice(words.login);
          const link = element("a", {href: body.dataset.login}, " → " + words.login);
          $("notice").replaceChildren(link);
          break;
        } else if (response.status >= 400 && response.status < 500 &&
                   response.status !== 408 && response.status !== 429) {
          let answer = {};
          try { answer = await response.json(); } catch (error) { answer = {}; }
          await put("queue", {...report, state: "refused", reason: answer.detail || "",
                              problems: answer.problems || []});
        } else {
          break;  // the server is busy or failing: try again later
        }
      }
    } finally {
      syncing = false;
      await showQueue();
    }
  }
  async function showQueue() {
    const queued = await all("queue");
    const reports = [...queued, ...await all("sent")].filter(mine)
      .sort((a, b) => b.created - a.created);
    const others = queued.filter((report) => !mine(report)).length;
    $("queue-title").textContent = words.queue;
    const othersLine = others ? [element("li", {class: "others"},
      words.others.replace("%(count)s", String(others)))] : [];
    if (!reports.length) {
      $("queue").replaceChildren(element("li", {}, words.nothing), ...othersLine);
      return;
    }
    $("queue").replaceChildren(...othersLine, ...reports.map((report) => {
      const item = element("li", {class: report.state, "data-id": report.id});
      item.append(element("span", {class: "state"}, words[report.state] || report.state),
                  document.createTextNode(" · " + report.name + " · " + report.station));
      if (report.state === "refused") {
        item.append(element("p", {class: "problem"}, report.reason));
        const form = forms.find((candidate) => candidate.code === report.form);
        const questions = form ? form.questions : [];
        (report.problems || []).forEach((problem) => {
          const question = questions.find((candidate) => candidate.id === problem.question);
          const name = question ? label(question.label) : problem.question;
          item.append(element("p", {class: "problem"},
                              (name ? name + ": " : "") + problem.message));
        });
        const correct = element("button", {type: "button", "data-action": "correct"},
                                words.correct);
        correct.addEventListener("click", async () => {
          if (!form) { return; }
          await remove("queue", report.id);
          open(form, report.answers, report.station);
          await showQueue();
        });
        const discard = element("button", {type: "button", "data-action": "discard"},
                                words.discard);
        discard.addEventListener("click", async () => {
          await remove("queue", report.id);
          await showQueue();
        });
        item.append(correct, discard);
      }
      return item;
    }));
  }

  /* --- start --- */
  $("send").textContent = words.send;
  $("back").textContent = words.back;
  $("choose").textContent = words.choose;
  $("report").addEventListener("submit", send);
  $("station").addEventListener("change", () => {
    // Another station may have other lists: redraw the list votes, keeping what fits.
    if (!current) { return; }
    current.questions.filter((question) => question.type === "list_votes")
      .forEach((question) => {
        const box = $("questions").querySelector(`[data-question="${question.id}"]`);
        box.replaceWith(field(question, read(question, box)));
      });
  });
  $("back").addEventListener("click", close);
  window.addEventListener("online", () => { showNetwork(); sync(); });
  window.addEventListener("offline", showNetwork);
  showNetwork();
  if ("serviceWorker" in navigator) {
    // Marked on the page once the worker controls it: the app then opens offline.
    const ready = () => {
      if (navigator.serviceWorker.controller) { body.dataset.offlineReady = "yes"; }
    };
    navigator.serviceWorker.addEventListener("controllerchange", ready);
    navigator.serviceWorker.register(body.dataset.worker, {scope: "/observe/"})
      .then(ready).catch(() => undefined);
    ready();
  }
  load().then(showQueue).then(sync);
  setInterval(sync, 30000);
}());
