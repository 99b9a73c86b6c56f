/* The daily game in place: answer each round on the page, then keep the score, the streak of
   days played and the games so far in this browser's localStorage, and nowhere else. Without
   this file each answer is a plain GET form and the server shows the answer page. */
(function () {
  "use strict";
  var KEY = "dayfacts.play";
  var KEPT_GAMES = 50;
  var KEPT_DAYS = 1000;
  var section = document.getElementById("play");
  var data = document.getElementById("play-data");
  // An older browser plays through the forms, as without this file.
  if (!section || !data || !("content" in document.createElement("template")) ||
      !Element.prototype.replaceChildren || !window.Set) return;
  var game = JSON.parse(data.textContent);
  var form = section.querySelector("form");
  var outcome = slot(section, "outcome");
  var total = game.rounds.length;
  var number = Number(section.dataset.round);
  var score = Number(section.dataset.score);

  function slot(root, name) {
    return root.querySelector('[data-slot="' + name + '"]');
  }

  function fromTemplate(id) {
    return document.getElementById(id).content.cloneNode(true);
  }

  // The browser's own calendar date: a streak counts the player's days, not the server's.
  function isoDate(date) {
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return date.getFullYear() + "-" + two(date.getMonth() + 1) + "-" + two(date.getDate());
  }

  function load() {
    try {
      var state = JSON.parse(window.localStorage.getItem(KEY));
      if (state && Array.isArray(state.games) && Array.isArray(state.days)) return state;
    } catch (error) { /* no storage, or something unreadable in it: start afresh */ }
    return { games: [], days: [] };
  }

  function save(state) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(state));
    } catch (error) { /* storage refused (private mode, full): the game still plays */ }
  }

  function streak(state) {
    var played = new Set(state.days);
    var day = new Date();
    // Not played yet today: a streak up to yesterday still stands.
    if (!played.has(isoDate(day))) day.setDate(day.getDate() - 1);
    var count = 0;
    while (played.has(isoDate(day))) {
      count += 1;
      day.setDate(day.getDate() - 1);
    }
    return count;
  }

  function record() {
    var state = load();
    var today = isoDate(new Date());
    // Playing the same day's game again today replaces that game's score.
    state.games = state.games.filter(function (kept) {
      return !(kept.played === today && kept.day === game.day);
    });
    state.games.push({ played: today, day: game.day, name: game.name, score: score, of: total });
    state.games = state.games.slice(-KEPT_GAMES);
    if (state.days.indexOf(today) === -1) state.days.push(today);
    state.days = state.days.slice(-KEPT_DAYS);
    save(state);
    return state;
  }

  function streakText(node, count) {
    return (count === 1 ? node.dataset.one : node.dataset.many).replace("{n}", count);
  }

  function showRecord(root, state) {
    var wrap = slot(root, "record");
    if (!wrap || !state.games.length) return;
    var line = slot(wrap, "streak");
    line.textContent = streakText(line, streak(state));
    var list = slot(wrap, "history");
    if (list) {
      list.replaceChildren();
      state.games.slice().reverse().forEach(function (kept) {
        var item = document.createElement("li");
        item.textContent = kept.name + ": " + kept.score + "/" + kept.of + " (" + kept.played + ")";
        list.appendChild(item);
      });
    }
    wrap.hidden = false;
  }

  function showRound() {
    var round = game.rounds[number - 1];
    form.querySelectorAll('button[name="pick"]').forEach(function (button, index) {
      button.textContent = round.entries[index].title;
    });
    form.elements.round.value = number;
    form.elements.score.value = score;
    slot(section, "round").textContent = number;
    slot(section, "score").textContent = score;
    outcome.replaceChildren();
    form.hidden = false;
    form.querySelector('button[name="pick"]').focus();
  }

  function finish() {
    var final = fromTemplate("play-final-template");
    slot(final, "points").textContent = score;
    var share = slot(final, "share");
    share.value = game.share.replace("{score}", score);
    var copy = final.querySelector('[data-action="copy"]');
    var copied = slot(final, "copied");
    copy.hidden = false;
    copy.addEventListener("click", function () {
      share.select();
      if (navigator.clipboard) {
        navigator.clipboard.writeText(share.value + "\n" + game.url).then(function () {
          copied.textContent = copy.dataset.done;
        }, function () { /* refused: the text is selected for copying by hand */ });
      }
    });
    showRecord(final, record());
    return final;
  }

  function answer(pick) {
    var round = game.rounds[number - 1];
    var right = pick === round.earlier;
    if (right) score += 1;
    slot(section, "score").textContent = score;
    var result = fromTemplate("play-result-template");
    var verdict = slot(result, "verdict");
    verdict.textContent = right ? verdict.dataset.right : verdict.dataset.wrong;
    var order = [round.earlier, 3 - round.earlier];
    result.querySelectorAll('[data-slot="entry"]').forEach(function (item, index) {
      var entry = round.entries[order[index] - 1];
      var link = item.querySelector("a");
      slot(item, "year").textContent = entry.year;
      link.href = entry.url;
      link.textContent = entry.title;
      item.querySelector(".play-picked").hidden = order[index] !== pick;
    });
    var next = result.querySelector('[data-action="next"]');
    var focus = verdict;
    if (number < total) {
      next.addEventListener("click", function () {
        number += 1;
        showRound();
      });
    } else {
      next.parentNode.remove();
      var final = finish();
      focus = slot(final, "final");
      result.appendChild(final);
    }
    form.hidden = true;
    outcome.replaceChildren(result);
    focus.focus();
  }

  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button || button.name !== "pick") return;
    event.preventDefault();
    answer(Number(button.value));
  });

  var line = document.getElementById("play-record");
  var standing = streak(load());
  if (line && standing > 0) {
    line.textContent = streakText(line, standing);
    line.hidden = false;
  }
})();
