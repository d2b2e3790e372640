import type { DemoIncident } from "./incidents.demo-support.ts";

/**
 * The demo's year of incidents, as told by their records: when each was reported (days ago),
 * then every moment of its life in hours after the report. People are named by their place in
 * the demo's list (0 the owner, 1 the admin engineer, 2 and 3 the editor engineers) or, for
 * reporters, by job role.
 */
export const DEMO_INCIDENTS: DemoIncident[] = [
  {
    title: "Laptop lost in a taxi",
    description:
      "A sales representative left their laptop in a taxi after a customer visit. The disk is " +
      "encrypted and the screen was locked; the laptop was signed in to Google Workspace and Slack.",
    severity: "low",
    reportedDaysAgo: 328,
    reportedHour: 19,
    reporterRole: "Sales",
    owner: 1,
    triagedHours: 2,
    containedHours: 3,
    resolvedHours: 40,
    closedHours: 100,
    customersAffected: false,
    customerDataAffected: false,
    affectedCustomers: [],
    systems: ["Laptop fleet (MDM)", "Google Workspace", "Slack"],
    entries: [
      {
        hours: 2.5,
        kind: "action",
        body: "Locked the laptop through MDM and signed it out of Google Workspace and Slack.",
      },
      {
        hours: 16,
        kind: "note",
        body: "The taxi company has no laptop in its lost property. MDM confirms FileVault was on.",
      },
      {
        hours: 38,
        kind: "action",
        body: "The laptop came online at 07:12 and received the wipe command; wipe confirmed.",
      },
    ],
    lessons: {
      startedDays: 2,
      approvedDays: 6,
      whatHappened: "A laptop was left in a taxi; it was locked, then wiped when it came online.",
      impact: "None: the disk was encrypted and the sessions were revoked within three hours.",
      rootCause: "Human error; nothing in onboarding says how fast to report a lost device.",
      timeline: "19:05 reported, 21:00 triaged, 22:00 locked and signed out, next day 07:12 wiped.",
      wentWell: "Encryption and remote lock worked as designed; the report came within the hour.",
      toImprove: "Tell every new joiner to report a lost device at once, and how.",
      actionItems: [
        {
          title: "Add 'report a lost device at once' to the onboarding checklist",
          owner: 0,
          dueDays: 14,
          completedDays: 5,
          note: "Added to the checklist and to the security training slides.",
        },
      ],
    },
  },
  {
    title: "Support agent entered their password on a phishing page",
    description:
      "A support agent followed a link in an email that imitated a support desk notification " +
      "and entered their Google password. The attacker's sign-in was stopped by two-step " +
      "verification.",
    severity: "medium",
    reportedDaysAgo: 244,
    reportedHour: 10,
    reporterRole: "Customer Success",
    owner: 2,
    triagedHours: 1.5,
    containedHours: 2,
    resolvedHours: 50,
    closedHours: 200,
    customersAffected: false,
    customerDataAffected: false,
    affectedCustomers: [],
    systems: ["Google Workspace", "Support desk"],
    entries: [
      {
        hours: 1.8,
        kind: "action",
        body: "Reset the agent's password, revoked every session and app password.",
      },
      {
        hours: 6,
        kind: "note",
        body:
          "Google's sign-in log shows one attempt from a hosting provider in another country, " +
          "stopped at the second step. No other account received the email.",
      },
      {
        hours: 30,
        kind: "action",
        body: "Reported the phishing domain to the registrar; blocked it at the mail gateway.",
      },
    ],
    lessons: {
      startedDays: 3,
      approvedDays: 10,
      whatHappened: "A convincing phishing email captured a support agent's password.",
      impact: "None: two-step verification stopped the attacker's sign-in.",
      rootCause: "Codes by SMS or app can be phished; the mail gateway let a new domain through.",
      timeline:
        "10:02 reported by the agent, 11:30 triaged, 11:50 password reset, sessions revoked.",
      wentWell: "The agent reported within minutes and without fear of blame.",
      toImprove: "Phishing-resistant keys for the people with access to customer data.",
      actionItems: [
        {
          title: "Require security keys for everyone with support desk admin rights",
          owner: 1,
          dueDays: 30,
          completedDays: 24,
          note: "Keys shipped and enrolled; other second steps turned off for the group.",
        },
        {
          title: "Hold mail from domains registered in the last 30 days",
          owner: 2,
          dueDays: 14,
          completedDays: 9,
        },
      ],
    },
  },
  {
    title: "Customer export files publicly readable in a storage bucket",
    description:
      "A configuration change made the bucket holding customers' data exports readable by " +
      "anyone with a file's address. Access logs show downloads from outside our network.",
    severity: "critical",
    reportedDaysAgo: 138,
    reportedHour: 8,
    reporterRole: "Engineer",
    owner: 1,
    triagedHours: 1.5,
    containedHours: 5,
    resolvedHours: 72,
    closedHours: 240,
    customersAffected: true,
    customerDataAffected: true,
    affectedCustomers: ["Northwind Traders", "Globex", "Initech", "Umbrella Health", "Soylent"],
    systems: ["Customer uploads (S3)", "AWS production account", "Production API"],
    entries: [
      {
        hours: 2,
        kind: "action",
        body: "Turned Block Public Access back on for the bucket; public reads now fail.",
      },
      {
        hours: 4,
        kind: "action",
        body: "Rotated the signing key of export links; every link issued before is void.",
      },
      {
        hours: 11,
        kind: "note",
        body:
          "Access logs: 14 export files downloaded by 3 addresses outside our network over " +
          "the 31 hours the bucket was open. They belong to 5 customers.",
      },
      {
        hours: 22,
        kind: "note",
        body: "Account managers have called the five customers; counsel is reviewing contracts.",
      },
      {
        hours: 38,
        kind: "note",
        body: "The three addresses match a known bucket-scanning service; no further access.",
      },
      {
        hours: 54,
        kind: "action",
        body: "Deployed a guard in CI that refuses any plan making a bucket public.",
      },
      {
        hours: 70,
        kind: "note",
        body: "Seven days of logs reviewed; no other bucket or file affected.",
      },
    ],
    notice: {
      title: "Some customers' data exports were publicly readable",
      body:
        "For about 31 hours a configuration error made data export files readable by anyone " +
        "who had their address. We closed access within two hours of finding it. Five " +
        "customers' exports were downloaded by an automated scanner; we have contacted each of " +
        "them. No other data, and no passwords, were exposed.",
      severity: "high",
      affectedServices: ["Data exports"],
      publishedHours: 31.5,
      updates: [
        {
          hours: 56,
          body: "We added an automatic check that prevents this configuration from being deployed.",
        },
      ],
      resolved: {
        hours: 73,
        note: "Our review of seven days of logs found no other access. This notice is resolved.",
      },
    },
    lessons: {
      startedDays: 2,
      approvedDays: 11,
      whatHappened: "A Terraform change turned off Block Public Access on the exports bucket.",
      impact: "14 export files of 5 customers read by a scanner; customers told within 30 hours.",
      rootCause: "The module's default changed in an upgrade and the plan's diff was not read.",
      timeline:
        "08:10 alert, 09:40 triaged (critical), 10:00 closed, next day 16:10 notice published.",
      wentWell: "The alert fired within a day; containment took 20 minutes once triaged.",
      toImprove: "Plans touching storage must be checked by a machine, not only a reviewer.",
      actionItems: [
        {
          title: "Refuse Terraform plans that make any bucket public (CI policy check)",
          owner: 1,
          dueDays: 7,
          completedDays: 2,
          note: "Policy check in CI since the incident; tested against the bad plan.",
        },
        {
          title: "Expire export files after seven days",
          owner: 3,
          dueDays: 30,
          completedDays: 21,
        },
      ],
    },
  },
  {
    title: "AWS access key pushed to a public GitHub repository",
    description:
      "GitHub's secret scanning reported an AWS access key of the CI pipelines in a public " +
      "repository's commit, pushed by mistake with a test configuration.",
    severity: "high",
    reportedDaysAgo: 73,
    reportedHour: 14,
    reporterRole: "Engineer",
    owner: 3,
    triagedHours: 1,
    containedHours: 1.5,
    resolvedHours: 30,
    closedHours: 150,
    customersAffected: false,
    customerDataAffected: false,
    affectedCustomers: [],
    systems: ["GitHub", "AWS production account", "CI pipelines"],
    entries: [
      {
        hours: 1.2,
        kind: "action",
        body: "Deactivated the key; CI jobs now use a new key kept only in the secrets store.",
      },
      {
        hours: 9,
        kind: "note",
        body: "CloudTrail: the key was used once from outside, for sts:GetCallerIdentity only.",
      },
      {
        hours: 28,
        kind: "action",
        body: "Removed the commit from the repository's history; asked GitHub to purge caches.",
      },
    ],
    lessons: {
      startedDays: 1,
      approvedDays: 9,
      whatHappened: "A long-lived CI key was committed in a test configuration and pushed.",
      impact: "An automated scanner tried the key once; it could not have reached customer data.",
      rootCause: "CI used long-lived keys; push protection was not on for every repository.",
      timeline:
        "14:00 alert, 15:00 triaged (high), 15:30 key deactivated, next day history cleaned.",
      wentWell: "Secret scanning caught it within minutes.",
      toImprove: "No long-lived cloud keys in CI at all.",
      actionItems: [
        {
          title: "Turn on push protection for secrets in every repository",
          owner: 2,
          dueDays: 7,
          completedDays: 3,
        },
        {
          title: "Replace the CI pipelines' long-lived AWS keys with OIDC roles",
          owner: 3,
          dueDays: 75,
          completedDays: null,
        },
      ],
    },
  },
  {
    title: "Malware on a designer's laptop from a pirated font installer",
    description:
      "Endpoint protection flagged an information stealer installed with a font pack " +
      "downloaded from an unofficial site. The laptop had browser sessions to Figma and Google.",
    severity: "medium",
    reportedDaysAgo: 24,
    reportedHour: 11,
    reporterRole: "Design",
    owner: 2,
    triagedHours: 2,
    containedHours: 3,
    resolvedHours: 96,
    closedHours: null,
    customersAffected: false,
    customerDataAffected: false,
    affectedCustomers: [],
    systems: ["Laptop fleet (MDM)", "Google Workspace"],
    entries: [
      {
        hours: 2.5,
        kind: "action",
        body: "Isolated the laptop from the network through MDM; revoked the designer's sessions.",
      },
      {
        hours: 30,
        kind: "note",
        body: "No sign-in from a new device on any of the designer's accounts since the install.",
      },
      {
        hours: 90,
        kind: "action",
        body: "Laptop reimaged from the standard image; passwords changed; returned to the user.",
      },
    ],
    lessons: {
      startedDays: 2,
      approvedDays: null,
      whatHappened: "A font pack from an unofficial site installed an information stealer.",
      impact: "Browser sessions may have been copied; none was used as far as the logs show.",
      rootCause: "Designers can install software that MDM does not know; to be confirmed.",
      timeline: "11:00 alert, 13:00 triaged (medium), 14:00 isolated, four days later reimaged.",
      wentWell: "",
      toImprove: "",
      actionItems: [],
    },
  },
  {
    title: "Emails impersonating the CEO sent to the finance team",
    description:
      "Three people in finance received emails from a look-alike domain asking to change a " +
      "supplier's bank details. Nobody replied; one forwarded it to security.",
    severity: "low",
    reportedDaysAgo: 4,
    reportedHour: 9,
    reporterRole: "Finance",
    owner: 1,
    triagedHours: 4,
    containedHours: 7,
    resolvedHours: null,
    closedHours: null,
    customersAffected: false,
    customerDataAffected: false,
    affectedCustomers: [],
    systems: ["Google Workspace"],
    entries: [
      {
        hours: 6,
        kind: "action",
        body: "Blocked the look-alike domain and removed the emails from every mailbox.",
      },
      {
        hours: 48,
        kind: "note",
        body: "Asked the bank to confirm that no change of supplier details was requested.",
      },
    ],
  },
];
