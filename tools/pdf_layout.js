// The PDF edition's changes to the single-page book before it is printed (tools/pdf.py calls each in
// turn, in print media, with the viewport at the width of a portrait page's text).
({
  // Adds the print style sheet and the contents (with an empty slot for each page number), and starts
  // each chapter on a new page. In the singlehtml build the first chapter is the root page's section;
  // every other page of the table of contents follows a <span id="document-NAME"> marker, as its own
  // section. The root page is where the contents are: its sections are listed, indented, not its title.
  // Returns the contents' entries as [{id, title}].
  prepare(css) {
    const style = document.createElement('style');
    style.textContent = css;
    document.head.appendChild(style);
    // The theme's own printed list of the page's headings (unnumbered): replaced by the contents below.
    const themed = document.getElementById('jb-print-toc');
    if (themed) themed.remove();
    const article = document.querySelector('article.bd-article') || document.querySelector('main') || document.body;
    const root = article.querySelector('section');
    const chapters = [root, ...Array.from(article.querySelectorAll('span[id^="document-"]'))
      .map(mark => mark.nextElementSibling).filter(el => el && el.tagName === 'SECTION')];
    const nav = document.createElement('nav');
    nav.id = 'pdf-contents';
    nav.innerHTML = '<h2>Contents</h2><ol></ol>';
    const list = nav.querySelector('ol');
    const entry = (section, part) => {
      const title = section.querySelector('h1, h2').textContent.replace(/#\s*$/, '').trim();
      const item = document.createElement('li');
      if (part) item.className = 'pdf-part';
      item.innerHTML = '<a><span class="pdf-title"></span><span class="pdf-leader"></span>'
        + '<span class="pdf-page"></span></a>';
      item.querySelector('a').href = '#' + section.id;
      item.querySelector('.pdf-title').textContent = title;
      item.querySelector('.pdf-page').dataset.target = section.id;
      list.appendChild(item);
      return {id: section.id, title: title};
    };
    const found = [];
    chapters.forEach((section, i) => {
      if (i === 0) {
        section.querySelectorAll(':scope > section').forEach(part => found.push(entry(part, true)));
      } else {
        section.style.breakBefore = 'page';
        found.push(entry(section, false));
      }
    });
    // The contents follow the book's title, before anything else on the root page (its evidence table).
    const title = root.querySelector(':scope > h1');
    root.insertBefore(nav, title ? title.nextSibling : root.firstChild);
    // Outputs folded on the web (a page's parameters, tagged hide-output) are printed open.
    for (const folded of document.querySelectorAll('details.hide.below-input')) {
      folded.open = true;
      const summary = folded.querySelector(':scope > summary');
      if (summary) summary.remove();
    }
    return found;
  },

  // Each parameters table (columns name, [value used,] default, allowed, unit, description) becomes a
  // definition list: "name = value unit · what is allowed" over the description. Returns how many.
  parameters() {
    let n = 0;
    for (const table of Array.from(document.querySelectorAll('table'))) {
      const heads = Array.from(table.querySelectorAll('thead th')).map(th => th.textContent.trim());
      if (!['name', 'default', 'allowed', 'description'].every(h => heads.includes(h))) continue;
      const list = document.createElement('dl');
      list.className = 'pdf-parameters';
      for (const row of table.querySelectorAll('tbody tr')) {
        const cell = {};
        Array.from(row.children).forEach((td, i) => { cell[heads[i]] = td.textContent.trim(); });
        const used = cell['value used'] ?? cell['default'];
        const other = used !== cell['default'] ? ` (default ${cell['default']})` : '';
        const term = document.createElement('dt');
        term.innerHTML = '<code></code> = <strong></strong> <span class="pdf-allowed"></span>';
        term.querySelector('code').textContent = cell['name'];
        term.querySelector('strong').textContent = used + (cell['unit'] ? ' ' + cell['unit'] : '') + other;
        term.querySelector('.pdf-allowed').textContent = '· ' + cell['allowed'];
        const description = document.createElement('dd');
        description.textContent = cell['description'];
        list.append(term, description);
      }
      table.replaceWith(list);
      n += 1;
    }
    return n;
  },

  // The two reference tables, the registry of published figures and the evidence ledger (long text in
  // every row), become lists: each row's first cell in bold, then each other column as a labelled
  // field (short fields side by side, long ones across the page); a row spanning the table (the
  // ledger's study) becomes a subheading. Returns how many.
  reflow() {
    let n = 0;
    for (const table of Array.from(document.querySelectorAll('table.registry, table.ledger'))) {
      const heads = Array.from(table.querySelectorAll('thead th')).map(th => th.textContent.trim());
      const list = document.createElement('div');
      list.className = 'pdf-rows';
      for (const row of table.querySelectorAll('tbody tr')) {
        const cells = Array.from(row.children);
        if (cells.length === 1) {
          const group = document.createElement('h4');
          group.className = 'pdf-group';
          group.innerHTML = cells[0].innerHTML;
          list.append(group);
          continue;
        }
        const item = document.createElement('div');
        item.className = 'pdf-row';
        item.innerHTML = '<div class="pdf-lead"></div><div class="pdf-fields"></div>';
        item.firstChild.innerHTML = cells[0].innerHTML;
        cells.slice(1).forEach((cell, i) => {
          const field = document.createElement('div');
          field.className = 'pdf-field';
          field.innerHTML = '<span class="pdf-label"></span> ' + cell.innerHTML;
          field.firstChild.textContent = heads[i + 1];
          item.lastChild.append(field);
        });
        list.append(item);
      }
      table.replaceWith(list);
      n += 1;
    }
    return n;
  },

  // A link to another page of the web book (a relative "page.html#target" under root, the build's
  // folder; the singlehtml builder also writes its own links so, one folder off) leads, in the single
  // page, to its target, or to where that page's text starts (its "document-NAME" marker). Returns how
  // many links were changed.
  links(root) {
    let n = 0;
    const rootPath = new URL(root).pathname;
    for (const a of Array.from(document.querySelectorAll('a[href]'))) {
      const href = a.getAttribute('href');
      if (/^(#|[a-z]+:)/i.test(href) || !/\.html(#|$)/.test(href)) continue;
      const url = new URL(href, document.baseURI);
      if (!url.pathname.startsWith(rootPath)) continue;
      const doc = url.pathname.slice(rootPath.length).replace(/\.html$/, '');
      const mark = document.getElementById('document-' + doc);
      const inner = url.hash && document.getElementById(decodeURIComponent(url.hash.slice(1)));
      if (!mark && !inner) continue;
      a.setAttribute('href', '#' + (inner ? inner.id : mark.id));
      n += 1;
    }
    return n;
  },

  // A long machine token in a table (a quoted row of a CSV file, a long identifier) may wrap after its
  // commas, semicolons, slashes and underscores (a zero-width space after each); words never break.
  // Run before the tables are reflowed or measured.
  tokens() {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
      acceptNode: n => n.parentElement.closest('table') ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT,
    });
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      node.textContent = node.textContent.replace(/\S{25,}/g, token => token.replace(/([,;/_])/g, '$1\u200b'));
    }
  },

  // Tables wider than the portrait text go on landscape pages: their notebook cell, or the section
  // holding only them, their heading and lead-in. A table taller than a page may break between its
  // rows. Returns the sections put on landscape pages, by their headings.
  wide() {
    const wide = [];
    for (const table of Array.from(document.querySelectorAll('table'))) {
      if (table.getBoundingClientRect().height > 900) table.style.breakInside = 'auto';
      const fits = table.scrollWidth <= table.parentElement.clientWidth + 1
        && table.getBoundingClientRect().right <= document.documentElement.clientWidth + 1;
      if (fits) continue;
      let block = table.closest('div.cell') || table;
      const section = block.parentElement;
      if (section && section.tagName === 'SECTION' && Array.from(section.children).every(el =>
          el === block || /^(H[1-6]|P|SPAN)$/.test(el.tagName) || el.classList.contains('pdf-wide'))) {
        block = section;
      }
      block.classList.add('pdf-wide');
      const heading = (block.closest('section') || block).querySelector('h1, h2, h3, h4');
      wide.push(heading ? heading.textContent.replace(/#\s*$/, '').trim() : table.className);
    }
    return wide;
  },

  // Writes each entry's page into the contents (pages: target id -> page number).
  fill(pages) {
    for (const span of document.querySelectorAll('#pdf-contents .pdf-page')) {
      span.textContent = pages[span.dataset.target] ?? '';
    }
  },
})
