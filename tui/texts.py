"""Danish and English texts of the TUI (registered with :func:`pdsa_core.i18n.add_texts`).

Key binding descriptions live under ``tui.key.<binding id>`` so the footer, the help
screen and the command palette show the same words, in the current language.
"""

from __future__ import annotations

from pdsa_core.i18n import add_texts

TEXTS: dict[str, tuple[str, str]] = {
    # -- screens and navigation ---------------------------------------------------------------
    "tui.screen.dashboard": ("Oversigt", "Dashboard"),
    "tui.screen.diagram": ("Driverdiagram", "Driver diagram"),
    "tui.screen.board": ("PDSA-tavle", "PDSA board"),
    "tui.screen.indicator": ("Indikatorer", "Indicators"),
    "tui.screen.import": ("Import", "Import"),
    "tui.screen.help": ("Hjælp", "Help"),
    "tui.screen.worksheet": ("PDSA-skema", "PDSA worksheet"),
    "tui.screen.musiq": ("MUSIQ", "MUSIQ"),
    "tui.screen.meeting": ("Tavlemøde", "Meeting"),
    # -- key bindings (footer, help, command palette) -----------------------------------------
    "tui.key.app.quit": ("Afslut", "Quit"),
    "tui.key.app.help": ("Hjælp", "Help"),
    "tui.key.app.team": ("Skift team", "Switch team"),
    "tui.key.app.new_team": ("Nyt team", "New team"),
    "tui.key.app.language": ("English", "Dansk"),
    "tui.key.app.contrast": ("Høj kontrast", "High contrast"),
    "tui.key.app.zoom": ("Stor skrift", "Large view"),
    "tui.key.app.palette": ("Kommandoer", "Commands"),
    "tui.key.app.back": ("Tilbage til mødet", "Back to the meeting"),
    "tui.key.nav.dashboard": ("Oversigt", "Dashboard"),
    "tui.key.nav.diagram": ("Driverdiagram", "Driver diagram"),
    "tui.key.nav.board": ("PDSA-tavle", "PDSA board"),
    "tui.key.nav.indicator": ("Indikatorer", "Indicators"),
    "tui.key.nav.import": ("Import", "Import"),
    "tui.key.nav.musiq": ("MUSIQ-vurdering", "MUSIQ assessment"),
    "tui.key.nav.meeting": ("Mødetilstand (tavlemøde)", "Meeting mode"),
    "tui.key.dashboard.open": ("Åbn", "Open"),
    "tui.key.dashboard.aim": ("Ret mål", "Edit aim"),
    "tui.key.dialog.cancel": ("Fortryd", "Cancel"),
    "tui.key.dialog.submit": ("OK", "OK"),
    # -- Textual's own commands and texts (tui.app.PdsaApp.get_system_commands) ------------------
    "tui.sys.theme": ("Farvetema", "Theme"),
    "tui.sys.theme_help": ("Vælg et andet farvetema", "Change the current theme"),
    "tui.sys.maximize": ("Maksimér", "Maximize"),
    "tui.sys.maximize_help": ("Vis feltet med fokus på hele skærmen", "Maximize the focused widget"),
    "tui.sys.minimize": ("Normal størrelse", "Minimize"),
    "tui.sys.minimize_help": (
        "Vis feltet i normal størrelse igen",
        "Minimize the widget and restore to normal size",
    ),
    "tui.sys.screenshot": ("Skærmbillede", "Screenshot"),
    "tui.sys.screenshot_help": (
        "Gem et billede af skærmen som SVG-fil",
        "Save an SVG 'screenshot' of the current screen",
    ),
    "tui.sys.search_commands": ("Søg efter kommandoer …", "Search for commands…"),
    "tui.sys.search_themes": ("Søg efter farvetemaer …", "Search for themes…"),
    "tui.sys.no_matches": ("Ingen træffere", "No matches found"),
    "tui.sys.quit_question": ("Vil du afslutte?", "Do you want to quit?"),
    "tui.sys.how_to_quit": ("Tryk {keys} for at afslutte", "Press {keys} to quit the app"),
    # -- where a value came from (tui.format.source_text) ------------------------------------------
    "tui.source.manual": ("indtastet", "entered"),
    "tui.source.import": ("import", "import"),
    # -- general --------------------------------------------------------------------------------
    "tui.none": ("–", "–"),
    "tui.yes": ("Ja", "Yes"),
    "tui.no": ("Nej", "No"),
    "tui.ok": ("OK", "OK"),
    "tui.cancel": ("Fortryd", "Cancel"),
    "tui.save": ("Gem", "Save"),
    "tui.saved": ("Gemt", "Saved"),
    "tui.close": ("Luk", "Close"),
    "tui.loading": ("Henter …", "Loading …"),
    "tui.no_team": ("Intet team valgt", "No team chosen"),
    "tui.changed_elsewhere": (
        "Arbejdsområdet blev ændret et andet sted; skærmen er opdateret.",
        "The workspace was changed elsewhere; the screen is up to date.",
    ),
    "tui.plugin_problem": ("Problem med et plugin", "Plugin problem"),
    "tui.language_now": ("Sprog: dansk", "Language: English"),
    "tui.theme_now": ("Tema: {theme}", "Theme: {theme}"),
    "tui.large_on": ("Stor visning til projektor: til", "Large view for a projector: on"),
    "tui.large_off": ("Stor visning til projektor: fra", "Large view for a projector: off"),
    # -- dashboard -------------------------------------------------------------------------------
    "tui.dash.no_aim": (
        "Intet overordnet mål endnu (tryk e for at skrive det)",
        "No aim yet (press e to write it)",
    ),
    "tui.dash.indicators": ("Indikatorer", "Indicators"),
    "tui.dash.cycles": ("PDSA-cirkler", "PDSA cycles"),
    "tui.dash.actions": ("Handlinger der forfalder", "Actions due"),
    "tui.dash.no_actions": ("Ingen åbne handlinger", "No open actions"),
    "tui.dash.no_cycles": (
        "Ingen PDSA-cirkler endnu. Planlæg den første på PDSA-tavlen (3).",
        "No PDSA cycles yet. Plan the first on the PDSA board (3).",
    ),
    "tui.dash.no_indicators": (
        "Teamet har ingen indikatorer endnu. Tilføj dem med 'pdsa indicator add', "
        "eller opret teamet fra et indikatorsæt.",
        "The team has no indicators yet. Add them with 'pdsa indicator add', "
        "or create the team from an indicator set.",
    ),
    "tui.dash.col.code": ("Id", "Id"),
    "tui.dash.col.name": ("Indikator", "Indicator"),
    "tui.dash.col.trend": ("Forløb", "Trend"),
    "tui.dash.col.latest": ("Seneste", "Latest"),
    "tui.dash.col.verdict": ("Vurdering", "Verdict"),
    "tui.dash.col.missing": ("Mangler", "Missing"),
    "tui.dash.missing_n": ("{n} mdr.", "{n} mo."),
    "tui.dash.no_data": ("ingen data", "no data"),
    "tui.dash.verdict_pending": (
        "Vurderingen vises, når SPC-analysen er koblet til.",
        "The verdict appears once the SPC analysis is connected.",
    ),
    "tui.dash.missing_list": ("Manglende måneder ({n}): {months}", "Missing months ({n}): {months}"),
    "tui.dash.overdue": ("forfalden", "overdue"),
    "tui.dash.closed_counts": ("{done} afsluttet, {abandoned} opgivet", "{done} done, {abandoned} abandoned"),
    "tui.dash.aim_title": ("Overordnet mål", "Aim"),
    "tui.dash.aim_saved": ("Målet er gemt", "The aim is saved"),
    "tui.dash.chart": ("Diagram", "Chart"),
    # -- driver diagram --------------------------------------------------------------------------
    "tui.key.diagram.add": ("Tilføj", "Add"),
    "tui.key.diagram.add_idea": ("Ny forandringsidé", "New change idea"),
    "tui.key.diagram.rename": ("Omdøb", "Rename"),
    "tui.key.diagram.move": ("Flyt", "Move"),
    "tui.key.diagram.link": ("Knyt til en driver mere", "Link to one more driver"),
    "tui.key.diagram.unlink": ("Fjern fra denne driver", "Unlink from this driver"),
    "tui.key.diagram.delete": ("Slet", "Delete"),
    "tui.key.diagram.undo": ("Fortryd", "Undo"),
    "tui.key.diagram.plan": ("Planlæg PDSA", "Plan PDSA"),
    "tui.key.diagram.history": ("Historik", "History"),
    "tui.diagram.details": ("Detaljer", "Details"),
    "tui.diagram.history": ("Historik", "History"),
    "tui.diagram.no_history": ("Ingen ændringer endnu", "No changes yet"),
    "tui.diagram.no_team": ("Vælg eller opret et team (t).", "Choose or create a team (t)."),
    "tui.diagram.no_aim": ("(intet mål endnu)", "(no aim yet)"),
    "tui.diagram.empty": (
        "Tomt driverdiagram: tryk a for at tilføje den første primære driver",
        "Empty driver diagram: press a to add the first primary driver",
    ),
    "tui.diagram.n_cycles": ("{n} PDSA", "{n} PDSA"),
    "tui.diagram.undone": ("fortrudt", "undone"),
    "tui.diagram.serves": ("Hører under", "Serves"),
    "tui.diagram.counts": (
        "{primary} primære drivere, {secondary} sekundære drivere, {ideas} forandringsidéer",
        "{primary} primary drivers, {secondary} secondary drivers, {ideas} change ideas",
    ),
    "tui.diagram.aim_hint": (
        "r: ret målet · a: tilføj en primær driver",
        "r: edit the aim · a: add a primary driver",
    ),
    "tui.diagram.open_cycle_hint": ("Enter åbner PDSA-skemaet", "Enter opens the PDSA worksheet"),
    "tui.diagram.add_title": ("Tilføj {kind}", "Add {kind}"),
    "tui.diagram.rename_title": ("Omdøb", "Rename"),
    "tui.diagram.move_title": ('Flyt "{text}" til …', 'Move "{text}" to …'),
    "tui.diagram.link_title": ('Knyt "{text}" også til …', 'Link "{text}" also to …'),
    "tui.diagram.primary_fixed": (
        "En primær driver hænger altid direkte under målet",
        "A primary driver always hangs directly under the aim",
    ),
    "tui.diagram.nowhere": ("Der er ingen anden driver at vælge", "There is no other driver to choose"),
    "tui.diagram.choose_driver": ("Vælg først en driver", "Choose a driver first"),
    "tui.diagram.choose_idea": (
        "Vælg først den forandringsidé, cirklen skal afprøve",
        "Choose the change idea the cycle will test first",
    ),
    "tui.diagram.delete_q": ('Slet {kind} "{text}"?', 'Delete {kind} "{text}"?'),
    "tui.diagram.delete_below": (
        "Det, der hænger under den og ikke hører til en anden driver, slettes også. Du kan fortryde med u.",
        "What hangs under it and serves no other driver is deleted too. You can undo with u.",
    ),
    "tui.diagram.delete_yes": ("Slet", "Delete"),
    "tui.diagram.undid": ("Fortrudt: {summary}", "Undone: {summary}"),
    # -- PDSA cycles: new, act -------------------------------------------------------------------
    "tui.cycle.new_title": ("Planlæg en PDSA-cirkel", "Plan a PDSA cycle"),
    "tui.cycle.title": ("Titel", "Title"),
    "tui.cycle.title_placeholder": ("fx Ringe hjem efter udskrivelse", "e.g. Call home after discharge"),
    "tui.cycle.no_idea": ("(ingen forandringsidé)", "(no change idea)"),
    "tui.cycle.objective": ("Formål", "Objective"),
    "tui.cycle.created": ("PDSA-cirkel planlagt: {title}", "PDSA cycle planned: {title}"),
    "tui.cycle.moved": ("{title}: {status}", "{title}: {status}"),
    "tui.cycle.next_created": (
        "Næste cirkel i rampen er planlagt: {title}",
        "The next cycle of the ramp is planned: {title}",
    ),
    "tui.cycle.acted": ("{title}: {decision}", "{title}: {decision}"),
    "tui.cycle.abandon_q": ('Opgiv PDSA-cirklen "{title}"?', 'Abandon the PDSA cycle "{title}"?'),
    "tui.cycle.delete_q": (
        'Slet PDSA-cirklen "{title}" helt? Det kan ikke fortrydes.',
        'Delete the PDSA cycle "{title}" for good? This cannot be undone.',
    ),
    "tui.cycle.deleted": ("Slettede {title}", "Deleted {title}"),
    "tui.cycle.act_first": (
        "Vælg indfør, tilpas eller opgiv for at afslutte cirklen (a)",
        "Choose adopt, adapt or abandon to finish the cycle (a)",
    ),
    "tui.act.title": ("Act: {title}", "Act: {title}"),
    "tui.act.intro": (
        "Indfør: forandringen tages i brug. Tilpas: næste cirkel i rampen planlægges med "
        "planen overført. Opgiv: idéen droppes.",
        "Adopt: the change is taken into use. Adapt: the next cycle of the ramp is planned with "
        "the plan carried over. Abandon: the idea is dropped.",
    ),
    "tui.act.decision": ("Beslutning", "Decision"),
    "tui.act.adopt": ("Indfør (adopt)", "Adopt"),
    "tui.act.adapt": ("Tilpas (adapt)", "Adapt"),
    "tui.act.abandon": ("Opgiv (abandon)", "Abandon"),
    "tui.act.next_title": ("Titel på næste cirkel (ved tilpas)", "Title of the next cycle (when adapting)"),
    "tui.act.next_title_placeholder": ('tom: "… (cyklus 2)"', 'empty: "… (cyklus 2)"'),
    "tui.act.decided.adopt": ("indført", "adopted"),
    "tui.act.decided.adapt": ("tilpasset", "adapted"),
    "tui.act.decided.abandon": ("opgivet", "abandoned"),
    # -- PDSA board ------------------------------------------------------------------------------
    "tui.key.board.new": ("Ny cirkel", "New cycle"),
    "tui.key.board.open": ("Åbn skema", "Open worksheet"),
    "tui.key.board.forward": ("Frem", "Forward"),
    "tui.key.board.back": ("Tilbage", "Back"),
    "tui.key.board.act": ("Act", "Act"),
    "tui.key.board.abandon": ("Opgiv", "Abandon"),
    "tui.key.board.delete": ("Slet cirkel", "Delete cycle"),
    "tui.key.board.closed": ("Vis afsluttede", "Show closed"),
    "tui.key.board.left": ("Kolonne til venstre", "Column to the left"),
    "tui.key.board.right": ("Kolonne til højre", "Column to the right"),
    "tui.board.empty": (
        "Ingen PDSA-cirkler endnu: tryk n for at planlægge den første",
        "No PDSA cycles yet: press n to plan the first",
    ),
    # -- PDSA worksheet --------------------------------------------------------------------------
    "tui.key.worksheet.save": ("Gem", "Save"),
    "tui.key.worksheet.close": ("Luk", "Close"),
    "tui.key.worksheet.forward": ("Næste fase", "Next phase"),
    "tui.key.worksheet.back": ("Forrige fase", "Previous phase"),
    "tui.key.worksheet.act": ("Act-beslutning", "Act decision"),
    "tui.ws.plan": ("Plan", "Plan"),
    "tui.ws.do": ("Do (afprøv)", "Do"),
    "tui.ws.study": ("Study (studér)", "Study"),
    "tui.ws.act": ("Act (handl)", "Act"),
    "tui.ws.title": ("Titel", "Title"),
    "tui.ws.objective": ("Formål", "Objective"),
    "tui.ws.questions": ("Spørgsmål", "Questions"),
    "tui.ws.predictions": ("Forudsigelser", "Predictions"),
    "tui.ws.plan_who": ("Hvem", "Who"),
    "tui.ws.plan_what": ("Hvad", "What"),
    "tui.ws.plan_when": ("Hvornår", "When"),
    "tui.ws.plan_where": ("Hvor", "Where"),
    "tui.ws.data_to_collect": ("Data der skal indsamles", "Data to collect"),
    "tui.ws.indicators": (
        "Indikatorer (annoteres ved start og slut)",
        "Indicators (annotated at start and end)",
    ),
    "tui.ws.do_observations": ("Observationer under afprøvningen", "Observations while doing"),
    "tui.ws.study_results": ("Resultater sammenholdt med forudsigelserne", "Results against the predictions"),
    "tui.ws.next_step": ("Næste skridt", "Next step"),
    "tui.ws.decision": ("Beslutning", "Decision"),
    "tui.ws.no_decision": ("endnu ikke truffet", "not made yet"),
    "tui.ws.dates": ("Start {start} · slut {end}", "Start {start} · end {end}"),
    "tui.ws.ramp": ("Rampe: {chain}", "Ramp: {chain}"),
    "tui.ws.saved": ("Skemaet er gemt", "The worksheet is saved"),
    "tui.connection.offline": (
        "ingen forbindelse til serveren; viser det senest læste",
        "no connection to the server; showing what was read last",
    ),
    "tui.connection.lost": (
        "Forbindelsen til serveren er afbrudt. Skærmen viser det senest læste; ændringer kan ikke gemmes, "
        "før forbindelsen er tilbage",
        "The connection to the server is lost. The screen shows what was read last; changes cannot be "
        "saved until it is back",
    ),
    "tui.connection.back": ("Forbindelsen til serveren er tilbage", "The connection to the server is back"),
    "tui.ws.changed_by": ("ændret af {by} {at}", "changed by {by} at {at}"),
    "tui.ws.conflict_field": (
        "Du har rettet feltet, og det er også ændret andetsteds: '{theirs}' ({who}). "
        "Gemmer du, er det en konflikt; ret teksten til det, der skal stå",
        "You edited this field and it was also changed elsewhere: '{theirs}' ({who}). "
        "Saving it is a conflict; make the text what it should be",
    ),
    "tui.ws.act_button": ("Indfør / tilpas / opgiv …", "Adopt / adapt / abandon …"),
    # -- indicator view ----------------------------------------------------------------------------
    "tui.key.indicator.chart": ("Diagramtype", "Chart type"),
    "tui.key.indicator.rules": ("Regelsæt", "Rule set"),
    "tui.key.indicator.baseline": ("Baseline", "Baseline"),
    "tui.key.indicator.use_baseline": ("Baseline til/fra", "Baseline on/off"),
    "tui.key.indicator.split": ("Ny fase", "New phase"),
    "tui.key.indicator.phases": ("Faser til/fra", "Phases on/off"),
    "tui.key.indicator.annotate": ("Annotering", "Annotation"),
    "tui.key.indicator.remove_annotation": ("Fjern annotering", "Remove annotation"),
    "tui.key.indicator.save_view": ("Gem diagramtype og regelsæt", "Keep chart type and rule set"),
    "tui.key.indicator.add_value": ("Indtast værdi", "Enter value"),
    "tui.key.indicator.edit_value": ("Ret værdi", "Correct value"),
    "tui.key.indicator.remove_value": ("Slet værdi", "Delete value"),
    "tui.key.indicator.next": ("Næste indikator", "Next indicator"),
    "tui.key.indicator.prev": ("Forrige indikator", "Previous indicator"),
    "tui.key.indicator.full": ("Kun diagram", "Chart only"),
    "tui.ind.values": ("Månedlige værdier", "Monthly values"),
    "tui.ind.none": (
        "Teamet har ingen indikatorer endnu (opret teamet fra et indikatorsæt, eller 'pdsa indicator add').",
        "The team has no indicators yet (create the team from an indicator set, or 'pdsa indicator add').",
    ),
    "tui.ind.none_short": ("Ingen indikatorer", "No indicators"),
    "tui.ind.no_data": ("Ingen data endnu", "No data yet"),
    "tui.ind.no_data_hint": (
        "Indtast den første måned med a (eller tast et tal i tabellen), eller importér en fil (5).",
        "Enter the first month with a (or type a number in the table), or import a file (5).",
    ),
    "tui.ind.cannot_draw": ("Diagrammet kan ikke tegnes", "The chart cannot be drawn"),
    "tui.ind.missing": ("mangler", "missing"),
    "tui.ind.missing_summary": ("{n} mangler: {months}", "{n} missing: {months}"),
    "tui.ind.revisions": ("{n} tidl.", "{n} earlier"),
    "tui.ind.baseline_off": ("{baseline} (slået fra)", "{baseline} (off)"),
    "tui.ind.phases_off": ("faser slået fra", "phases off"),
    "tui.ind.phase_split": ("ny fase", "new phase"),
    "tui.ind.choose_chart": ("Vælg diagramtype", "Choose the chart type"),
    "tui.ind.choose_rules": ("Vælg regelsæt", "Choose the rule set"),
    "tui.ind.view_saved": (
        "{code} bruger nu denne diagramtype og dette regelsæt",
        "{code} now uses this chart type and rule set",
    ),
    "tui.ind.baseline_title": ("Baseline for {code}", "Baseline of {code}"),
    "tui.ind.baseline_intro": (
        "Medianen (centerlinjen) beregnes af baseline-perioden og forlænges. Lad begge felter "
        "være tomme for at fjerne baseline.",
        "The median (centre line) is computed from the baseline period and extended. Leave both "
        "fields empty to remove the baseline.",
    ),
    "tui.ind.baseline_first": ("Første måned", "First month"),
    "tui.ind.baseline_last": ("Sidste måned", "Last month"),
    "tui.ind.split_title": ("Ny fase (fx lovændring, nyt EPJ)", "New phase (e.g. a law change, a new EPR)"),
    "tui.ind.split_intro": (
        "Fra denne måned får diagrammet en ny fase med sin egen centerlinje.",
        "From this month the chart gets a new phase with its own centre line.",
    ),
    "tui.ind.split_month": ("Måned", "Month"),
    "tui.ind.split_reason": ("Årsag", "Reason"),
    "tui.ind.annotate_title": ("Ny annotering", "New annotation"),
    "tui.ind.no_annotations": ("Ingen annoteringer på denne indikator", "No annotations on this indicator"),
    "tui.ind.remove_annotation_title": ("Fjern hvilken annotering?", "Remove which annotation?"),
    "tui.ind.value_title": ("{code} {name}", "{code} {name}"),
    "tui.ind.remove_q": ("Slet værdien for {code} {period}?", "Delete the value of {code} {period}?"),
    "tui.chart.data": ("Data", "Data"),
    "tui.chart.median": ("Median", "Median"),
    "tui.chart.mean": ("Middelværdi", "Mean"),
    "tui.chart.limits": ("Kontrolgrænser", "Control limits"),
    "tui.chart.baseline": ("baseline", "baseline"),
    "tui.chart.signal": ("signal", "signal"),
    "tui.chart.outside": ("uden for grænserne", "outside the limits"),
    "tui.chart.phase": ("ny fase", "new phase"),
    "tui.chart.more_lines": ("… {n} linjer mere", "… {n} more lines"),
    "tui.chart.baseline_keys": (
        "{b}: vælg baseline, {v}: slå den fra",
        "{b}: choose the baseline, {v}: turn it off",
    ),
    "tui.chart.type.run": ("Seriediagram (median)", "Run chart (median)"),
    "tui.chart.type.i": ("I-kort (XmR)", "I chart (XmR)"),
    "tui.chart.type.mr": ("MR-kort (glidende variationsbredde)", "MR chart (moving range)"),
    "tui.chart.type.xbar": ("Xbar-kort (gennemsnit)", "Xbar chart (means)"),
    "tui.chart.type.s": ("S-kort (standardafvigelse)", "S chart (standard deviation)"),
    "tui.chart.type.t": ("T-kort (tid mellem sjældne hændelser)", "T chart (time between rare events)"),
    "tui.chart.type.p": ("P-kort (andele)", "P chart (proportions)"),
    "tui.chart.type.pp": ("P'-kort (Laney)", "P' chart (Laney)"),
    "tui.chart.type.c": ("C-kort (antal)", "C chart (counts)"),
    "tui.chart.type.u": ("U-kort (rater)", "U chart (rates)"),
    "tui.chart.type.up": ("U'-kort (Laney)", "U' chart (Laney)"),
    "tui.chart.type.g": ("G-kort (tilfælde mellem sjældne hændelser)", "G chart (cases between rare events)"),
    "tui.chart.type.ip": ("I'-kort (Laney)", "I' chart (Laney)"),
    "tui.annotation.law_change": ("Lovændring", "Law change"),
    "tui.annotation.it_system_change": ("Nyt IT-system", "IT system change"),
    "tui.annotation.data_definition_change": ("Ændret datadefinition", "Data definition change"),
    "tui.annotation.other": ("Andet", "Other"),
    # -- import -----------------------------------------------------------------------------------
    "tui.key.import.open": ("Vælg fil", "Choose file"),
    "tui.key.import.remap": ("Ret kolonne", "Fix column"),
    "tui.key.import.sheet": ("Vælg ark", "Choose sheet"),
    "tui.key.import.commit": ("Importér", "Import"),
    "tui.key.import.reload": ("Læs igen", "Read again"),
    "tui.key.import.kind": ("Filtype", "Kind of file"),
    "tui.key.import.settings": ("Population/tilvalg", "Population/options"),
    "tui.imp.choose": ("Vælg fil …", "Choose file …"),
    "tui.imp.no_file": ("Ingen fil valgt", "No file chosen"),
    "tui.imp.intro": (
        "Tryk o for at vælge en CSV- eller Excel-fil med månedlige tal (fx Måned | R1 | R2 | "
        "V1 tæller | V1 nævner). Kolonnernes betydning gættes; ret den med m, se forhåndsvisning "
        "og fejl, og importér med i. Intet gemmes før du bekræfter.",
        "Press o to choose a CSV or Excel file with monthly values (e.g. Month | R1 | R2 | "
        "V1 numerator | V1 denominator). What the columns mean is guessed; fix it with m, see the "
        "preview and the errors, and import with i. Nothing is saved until you confirm.",
    ),
    "tui.imp.pick_title": ("Vælg en fil med data", "Choose a data file"),
    "tui.imp.path_placeholder": ("… eller skriv stien og tryk Enter", "… or type the path and press Enter"),
    "tui.imp.tab.mapping": ("Kolonner", "Columns"),
    "tui.imp.tab.preview": ("Forhåndsvisning", "Preview"),
    "tui.imp.tab.errors": ("Fejl", "Errors"),
    "tui.imp.col.column": ("Kolonne", "Column"),
    "tui.imp.col.meaning": ("Læses som", "Read as"),
    "tui.imp.col.example": ("Eksempel", "Example"),
    "tui.imp.col.indicator": ("Indikator", "Indicator"),
    "tui.imp.col.period": ("Måned", "Month"),
    "tui.imp.col.old": ("Nu", "Now"),
    "tui.imp.col.new": ("Ny", "New"),
    "tui.imp.col.what": ("", ""),
    "tui.imp.col.row": ("Række", "Row"),
    "tui.imp.col.reason": ("Problem", "Problem"),
    "tui.imp.not_read": ("læses ikke", "not read"),
    "tui.imp.role.period": ("måned", "month"),
    "tui.imp.role.indicator": ("indikator", "indicator"),
    "tui.imp.role.value": ("værdi", "value"),
    "tui.imp.role.numerator": ("tæller", "numerator"),
    "tui.imp.role.denominator": ("nævner", "denominator"),
    "tui.imp.role.long": ("Lang tabel: {role}", "Long table: {role}"),
    "tui.imp.role.ignore": ("Læs ikke denne kolonne", "Do not read this column"),
    "tui.imp.remap_title": ('Kolonnen "{column}" læses som …', 'The column "{column}" is read as …'),
    "tui.imp.sheet_title": ("Vælg ark", "Choose a sheet"),
    "tui.imp.read": ("{rows} rækker læst for {team}", "{rows} rows read for {team}"),
    "tui.imp.origin.guessed": ("kolonner gættet", "columns guessed"),
    "tui.imp.origin.saved": ("gemt kortlægning '{name}'", "saved mapping '{name}'"),
    "tui.imp.origin.given": ("kolonner rettet", "columns fixed"),
    "tui.imp.counts": (
        "{added} nye, {changed} ændrede, {unchanged} uændrede værdier; {missing} måneder mangler",
        "{added} new, {changed} changed, {unchanged} unchanged values; {missing} months missing",
    ),
    "tui.imp.error_count": ("{n} rækkefejl", "{n} row errors"),
    "tui.imp.fix_hint": (
        "Kortlægningen er ikke komplet. Vælg en kolonne og tryk Enter (m) for at sige, hvad den er.",
        "The mapping is not complete. Choose a column and press Enter (m) to say what it is.",
    ),
    "tui.imp.fix_first": ("Gør først kortlægningen af kolonner komplet", "Complete the column mapping first"),
    "tui.imp.added": ("ny", "new"),
    "tui.imp.changed": ("ændres", "changes"),
    "tui.imp.unchanged_n": ("{n} værdier er uændrede", "{n} values are unchanged"),
    "tui.imp.missing": ("mangler", "missing"),
    "tui.imp.more_errors": ("… og {n} fejl mere", "… and {n} more errors"),
    "tui.imp.skip_q": (
        "{n} rækker kan ikke læses. Importér de {rows} andre værdier og spring fejlene over?",
        "{n} rows cannot be read. Import the {rows} other values and skip the errors?",
    ),
    "tui.imp.skip_yes": ("Spring over og importér", "Skip and import"),
    "tui.imp.commit_title": ("Importér", "Import"),
    "tui.imp.confirm": (
        "{added} nye og {changed} ændrede værdier gemmes ({unchanged} uændrede). En ændret værdi "
        "gemmer den tidligere som revision.",
        "{added} new and {changed} changed values will be saved ({unchanged} unchanged). A changed "
        "value keeps the earlier one as a revision.",
    ),
    "tui.imp.save_as": ("Gem kortlægningen som (valgfrit)", "Save the mapping as (optional)"),
    "tui.imp.save_as_hint": ("fx maanedlig", "e.g. monthly"),
    "tui.imp.done": (
        "Importeret: {added} nye, {changed} ændrede, {unchanged} uændrede",
        "Imported: {added} new, {changed} changed, {unchanged} unchanged",
    ),
    "tui.imp.mapping_saved": ("Kortlægningen er gemt som '{name}'", "The mapping is saved as '{name}'"),
    # the kind of file: measurement table, event extract, a plugin's importer
    "tui.imp.kind_label": ("Filtype:", "Kind of file:"),
    "tui.imp.kind_title": ("Hvilken slags fil?", "What kind of file?"),
    "tui.imp.kind.table": ("Måletabel (CSV/Excel)", "Measurement table (CSV/Excel)"),
    "tui.imp.kind.events": ("Hændelsesudtræk (R1/R2/F1/F2)", "Event extract (R1/R2/F1/F2)"),
    "tui.imp.detail.rows_counted": ("Talt med", "Counted"),
    "tui.imp.detail.outside": ("Ikke talt med", "Not counted"),
    "tui.imp.detail.kinds_seen": ("Typer i filen", "Kinds in the file"),
    "tui.imp.detail.residences": ("Kun bosteder", "Only bosteder"),
    "tui.imp.population_default": ("{name} (teamets standard)", "{name} (the team's default)"),
    "tui.imp.population_btn": ("Population …", "Population …"),
    "tui.imp.options_btn": ("Tilvalg …", "Options …"),
    "tui.imp.population_none": ("ingen valgt (p)", "none chosen (p)"),
    "tui.imp.options_none": ("ingen (p)", "none (p)"),
    "tui.imp.no_settings": (
        "En måletabel har ingen population eller tilvalg; ret kolonnerne med m",
        "A measurement table has no population or options; fix the columns with m",
    ),
    "tui.imp.no_columns": (
        "Kun en måletabel har kolonner at rette; tilvalg og population ændres med p",
        "Only a measurement table has columns to fix; options and population are changed with p",
    ),
    "tui.imp.population_title": ("Hvem tælles med? Vælg population", "Who is counted? Choose the population"),
    "tui.imp.population_all": ("all – alle rækker tælles med", "all – every row is counted"),
    "tui.imp.population_needed": (
        "Vælg hvilken population udtrækket skal tælles efter",
        "Choose the population the extract is counted by",
    ),
    "tui.imp.population_saved": (
        "Populationen '{name}' er gemt som teamets standard",
        "The population '{name}' is saved as the team's default",
    ),
    "tui.imp.origin_team": ("gemt for teamet", "saved for the team"),
    "tui.imp.options_title": ("Tilvalg: {name}", "Options: {name}"),
    "tui.imp.options_intro": (
        "Felter med * skal udfyldes; et tomt felt bruger standardværdien.",
        "Fields marked * are required; an empty field uses the default.",
    ),
    "tui.imp.options_used": ("Tilvalg: {options}", "Options: {options}"),
    "tui.imp.intro_events": (
        "Tryk o for at vælge et udtræk med én række pr. tvangshændelse (cpr, tidspunkt, tvangstype, "
        "afsnit, alder, bopælskommune …). Det tælles op til R1, R2, F1 og F2 pr. måned efter teamets "
        "population (p). Personnumre bruges kun i hukommelsen og gemmes aldrig.",
        "Press o to choose an extract with one row per coercion event (cpr, time, kind of coercion, "
        "ward, age, municipality …). It is counted to R1, R2, F1 and F2 per month by the team's "
        "population (p). Person identifiers are used only in memory and never saved.",
    ),
    "tui.imp.intro_importer": (
        "{name}\n{about}\nTryk o for at vælge filen og p for importørens tilvalg.",
        "{name}\n{about}\nPress o to choose the file and p for the importer's options.",
    ),
    "tui.imp.reading": ("Læser {file}{size} som {kind} …", "Reading {file}{size} as {kind} …"),
    "tui.imp.not_read_yet": ("Filen er ikke læst endnu (Ctrl+R)", "The file is not read yet (Ctrl+R)"),
    "tui.imp.tab.details": ("Om filen", "About the file"),
    "tui.imp.events_read": (
        "{read} rækker læst, {counted} talt med (population '{population}')",
        "{read} rows read, {counted} counted (population '{population}')",
    ),
    "tui.imp.outside_n": ("{n} uden for populationen", "{n} outside the population"),
    "tui.imp.concentration_short": ("koncentration {share}", "concentration {share}"),
    "tui.imp.importer_read": ("{name}: {read} rækker læst", "{name}: {read} rows read"),
    "tui.imp.rows_read": (
        "{read} rækker læst, {skipped} med fejl",
        "{read} rows read, {skipped} with errors",
    ),
    "tui.imp.source": ("Kilde: {source}", "Source: {source}"),
    "tui.imp.by_residence": ("Pr. bosted (personer/magtanvendelser):", "Per bosted (persons/uses of force):"),
    "tui.imp.pattern_mismatch": (
        "Importøren læser normalt filer som {patterns}",
        "The importer usually reads files such as {patterns}",
    ),
    "tui.imp.rows_n": ("{n} rækker", "{n} rows"),
    "tui.imp.encoding": (
        "tegnsæt {encoding}, skilletegn {separator}, decimaltegn {decimal}",
        "encoding {encoding}, separator {separator}, decimal mark {decimal}",
    ),
    "tui.imp.other_sheets": ("Andre ark: {sheets} (vælg med s)", "Other sheets: {sheets} (choose with s)"),
    "tui.imp.unmapped": ("Læses ikke: {columns}", "Not read: {columns}"),
    "tui.imp.nothing_new": (
        "Alle værdier findes allerede; intet at gemme",
        "Every value is already stored; nothing to save",
    ),
    "tui.imp.commit_yes": ("Importér", "Import"),
    "tui.imp.skipped": ("{n} fejl i rækker blev sprunget over", "{n} row problems were skipped"),
    "tui.imp.annotations_added": ("{n} annoteringer tilføjet", "{n} annotations added"),
    # -- welcome (empty workspace) --------------------------------------------------------------
    "tui.welcome.title": ("Velkommen til pdsa", "Welcome to pdsa"),
    "tui.welcome.body": (
        "Arbejdsområdet er tomt. Sådan kommer I i gang:\n\n"
        "1. Opret jeres forbedringsteam, gerne fra et indikatorsæt (fx LKT Tvang), "
        "så får teamet indikatorerne med det samme.\n"
        "2. Skriv det overordnede mål og byg driverdiagrammet (tast 2).\n"
        "3. Planlæg den første PDSA-cirkel på PDSA-tavlen (tast 3).\n"
        "4. Indtast eller importér månedlige data (tast 4 og 5).\n\n"
        "Vil I først se et eksempel? Afslut (q) og kør:  pdsa demo",
        "The workspace is empty. This is how to begin:\n\n"
        "1. Create your improvement team, preferably from an indicator set (e.g. LKT Tvang), "
        "so the team gets its indicators at once.\n"
        "2. Write the aim and build the driver diagram (key 2).\n"
        "3. Plan the first PDSA cycle on the PDSA board (key 3).\n"
        "4. Enter or import monthly data (keys 4 and 5).\n\n"
        "Want to see an example first? Quit (q) and run:  pdsa demo",
    ),
    "tui.welcome.create": ("Opret team", "Create team"),
    # -- team dialogs ---------------------------------------------------------------------------
    "tui.team.pick_title": ("Vælg team", "Choose a team"),
    "tui.team.filter": ("Søg efter team …", "Search for a team …"),
    "tui.team.new_option": ("+ Opret nyt team …", "+ Create a new team …"),
    "tui.team.new_title": ("Opret team", "Create a team"),
    "tui.team.name": ("Teamets navn", "Team name"),
    "tui.team.name_placeholder": ("fx Psykiatrien Syd, Vordingborg", "e.g. Psykiatrien Syd, Vordingborg"),
    "tui.team.region": ("Region", "Region"),
    "tui.team.track": ("Spor", "Track"),
    "tui.team.indicator_set": ("Indikatorsæt", "Indicator set"),
    "tui.team.no_set": ("Intet (tilføj indikatorer selv)", "None (add indicators yourself)"),
    "tui.team.created": ("Oprettede team {name}", "Created team {name}"),
    "tui.team.switched": ("Team: {name}", "Team: {name}"),
    "tui.region.other": ("Anden", "Other"),
    "tui.track.other": ("Andet", "Other"),
    # -- help -------------------------------------------------------------------------------------
    "tui.help.keys": ("Taster", "Keys"),
    "tui.help.col.id": ("Id", "Id"),
    "tui.help.col.key": ("Tast", "Key"),
    "tui.help.col.what": ("Hvad", "What"),
    "tui.help.col.where": ("Hvor", "Where"),
    "tui.help.everywhere": ("Overalt", "Everywhere"),
    "tui.help.dialogs": ("Dialoger", "Dialogs"),
    "tui.help.press_key": (
        "Tryk den nye tast for: {what}\n(Esc fortryder)",
        "Press the new key for: {what}\n(Esc cancels)",
    ),
    "tui.help.remapped": ("{what}: tast {keys}", "{what}: key {keys}"),
    "tui.help.remap_hint": (
        "Vælg en række og tryk Enter (eller r) for at give handlingen en anden tast; Delete giver "
        "standardtasten tilbage. Tasterne gemmes i arbejdsområdet. Din egen fil {path} "
        '([keymap] med id = "tast") går forud.',
        "Choose a row and press Enter (or r) to give the action another key; Delete restores the "
        "default key. Keys are saved in the workspace. Your own file {path} "
        '([keymap] with id = "key") takes precedence.',
    ),
    "tui.key.help.close": ("Luk hjælp", "Close help"),
    "tui.key.help.remap": ("Skift tast", "Change key"),
    "tui.key.help.reset": ("Standardtast", "Default key"),
    "tui.help.intro": (
        "# pdsa – skærmen til det månedlige møde\n\n"
        "**1 Oversigt**: teamets overordnede mål, indikatorerne med forløb, seneste værdi, "
        "vurdering (tilfældig / ikke-tilfældig variation efter Anhøj-reglerne) og manglende "
        "måneder, PDSA-cirklerne efter status og handlinger der forfalder.  \n"
        "**2 Driverdiagram**: mål → primære drivere → sekundære drivere → forandringsidéer; "
        "ret direkte i træet, fortryd, se historikken.  \n"
        "**3 PDSA-tavle**: cirklerne i kolonner efter status; åbn en cirkel for at udfylde "
        "PDSA-skemaet, flyt den med tasterne, og vælg til sidst indfør / tilpas / opgiv.  \n"
        "**4 Indikatorer**: seriediagram eller kontroldiagram med median/middelværdi, grænser, "
        "faser, baseline og annoteringer; vurderingen i ord; indtast og ret månedens tal.  \n"
        "**5 Import**: læs en tabel med månedstal, et hændelsesudtræk fra patientjournalen (talt op "
        "efter teamets population) eller en fil til et plugins importør (fx kommunens magtanvendelser); "
        "se og ret kolonnernes betydning, se forhåndsvisning og fejl, gem.  \n"
        "**6 MUSIQ**: scor teamets kontekst faktor for faktor (1–7), sammenlign med tidligere "
        "vurderinger og følg udviklingen.  \n"
        "**7 Tavlemøde**: det månedlige møde punkt for punkt på projektoren: dagsordenen bygges "
        "ud fra data (handlinger, signaler, PDSA-cirkler til Study/Act, manglende data, MUSIQ); "
        "hvert punkt viser sit grundlag (diagrammet med forbedring/forværring, forudsigelser ved "
        "siden af observationer og Study), og beslutninger, handlinger og noter gemmes med det "
        "samme. Enter åbner punktets skærm, Esc vender tilbage til samme punkt.\n\n"
        "**Ctrl+P** åbner kommandopaletten med alle handlinger. **t** skifter team, "
        "**Ctrl+L** skifter sprog, **Ctrl+T** høj kontrast, **z** stor visning til projektor. "
        "Musen virker overalt. Fejl vises som beskeder i hjørnet. Intet du skriver går tabt: "
        "før q, Esc, et teamskift eller et skærmskift ville kassere det, spørges Gem / Kassér / Fortryd.",
        "# pdsa – the screen for the monthly meeting\n\n"
        "**1 Dashboard**: the team's aim, the indicators with trend, latest value, verdict "
        "(random / non-random variation by the Anhøj rules) and missing months, the PDSA cycles "
        "by status and the actions due.  \n"
        "**2 Driver diagram**: aim → primary drivers → secondary drivers → change ideas; "
        "edit in the tree, undo, see the history.  \n"
        "**3 PDSA board**: the cycles in columns by status; open a cycle to fill in the "
        "PDSA worksheet, move it with the keys, and finally adopt / adapt / abandon.  \n"
        "**4 Indicators**: run chart or control chart with median/mean, limits, phases, "
        "baseline and annotations; the verdict in words; enter and correct the monthly values.  \n"
        "**5 Import**: read a table of monthly values, an event extract from the patient records "
        "(counted by the team's population) or a file for a plugin's importer (e.g. the municipality's "
        "force registrations); see and fix what the columns mean, see the preview and errors, save.  \n"
        "**6 MUSIQ**: score the team's context factor by factor (1–7), compare with earlier "
        "assessments and follow the development.  \n"
        "**7 Meeting**: the monthly meeting item by item on the projector: the agenda is built from "
        "the data (actions, signals, PDSA cycles due for Study/Act, missing data, MUSIQ); each item "
        "shows its evidence (the chart with improvement/concern, predictions beside observations and "
        "Study), and decisions, actions and notes are saved at once. Enter opens the item's screen, "
        "Esc comes back to the same item.\n\n"
        "**Ctrl+P** opens the command palette with every action. **t** switches team, "
        "**Ctrl+L** switches language, **Ctrl+T** high contrast, **z** large view for a projector. "
        "The mouse works everywhere. Errors appear as messages in the corner. Nothing you type is lost: "
        "before q, Esc, a team switch or a screen switch would drop it, you are asked Save / Discard / "
        "Cancel.",
    ),
    "tui.help.words": (
        "## Ord\n\n"
        "| Dansk | English |\n|---|---|\n"
        "| forbedringsteam | improvement team |\n| tovholder | coordinator |\n"
        "| overordnet mål | aim |\n| driverdiagram | driver diagram |\n"
        "| primær / sekundær driver | primary / secondary driver |\n"
        "| forandringsidé | change idea |\n| PDSA-cirkel | PDSA cycle |\n"
        "| indfør / tilpas / opgiv | adopt / adapt / abandon |\n"
        "| seriediagram | run chart |\n| kontroldiagram (SPC) | control chart (SPC) |\n"
        "| tilfældig / ikke-tilfældig variation | random / non-random variation |\n"
        "| serielængde, krydsninger | run length, crossings |\n",
        "## Words\n\n"
        "| English | Dansk |\n|---|---|\n"
        "| improvement team | forbedringsteam |\n| coordinator | tovholder |\n"
        "| aim | overordnet mål |\n| driver diagram | driverdiagram |\n"
        "| primary / secondary driver | primær / sekundær driver |\n"
        "| change idea | forandringsidé |\n| PDSA cycle | PDSA-cirkel |\n"
        "| adopt / adapt / abandon | indfør / tilpas / opgiv |\n"
        "| run chart | seriediagram |\n| control chart (SPC) | kontroldiagram (SPC) |\n"
        "| random / non-random variation | tilfældig / ikke-tilfældig variation |\n"
        "| run length, crossings | serielængde, krydsninger |\n",
    ),
}

add_texts(TEXTS)
