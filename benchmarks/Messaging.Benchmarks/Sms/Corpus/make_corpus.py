"""Writes clinical-texts.txt: 240 realistic patient SMS texts (one per line) for the SMS credits benchmark (issue 25).

Appointment reminders, results, recalls and cancellations as NHS trusts and practices send them, 40-600 characters,
some with Welsh letters (ŵ ŷ â), curly quotes or dashes as pasted from word processors, and emoji. Deterministic
(fixed seed): run `python3 make_corpus.py` to regenerate; the benchmark reads the file as committed.
"""
import random

random.seed(25)
clinics = ["Dermatology", "the Diabetes Clinic", "Outpatients B", "the Eye Clinic", "Cardiology", "the Fracture Clinic",
           "Ysbyty Gwynedd", "Tŷ Gwyn Surgery", "the Breast Unit", "Audiology", "the Memory Clinic", "Physiotherapy"]
places = ["Northshire General Hospital", "Riverside Health Centre", "St Mary's Hospital", "Ysbyty Glan Clwyd",
          "the Community Hospital, Level 2", "Parc Iechyd Caerdydd a'r Fro"]
names = ["Jane", "Mohammed", "Siân", "Dafydd", "Olivia", "Aled", "Grace", "Rhys", "Priya", "Gwenllïan", "Tom", "Ffion"]
days = ["Mon 3 Mar", "Tuesday 4 March", "Wed 12/03", "Thursday 20 March", "Fri 28 Mar", "Monday 7 April"]
times = ["09:15", "10:30", "11:45", "13:00", "14:20", "15:50", "8.40am", "2.15pm"]
phones = ["01632 960 123", "0300 123 4567", "01632 960 881"]
extras = [
    "Please bring a list of your current medicines.",
    "Please arrive 10 minutes early to check in at the main reception.",
    "If you need an interpreter, please let us know.",
    "Parking is limited; please allow extra time.",
    "You may be at the clinic for up to 2 hours.",
    "Please do not eat for 6 hours before your appointment; you may drink water.",
    "Bring your glasses and any hearing aids.",
    "If you have a cough, fever or loss of taste, please call before attending.",
    "Wear loose clothing so we can examine your knee.",
    "A student may be present; tell us if you would rather they were not.",
]
curly = [
    "Please don’t stop taking your tablets unless we’ve told you to.",
    "You’ll need to fast from midnight – water only.",
    "We’re sorry for any inconvenience…",
    "Bring your “red book” if you have one.",
    "It’s quick — usually under 10 minutes.",
]
welsh = [
    "Atgoffa: mae gennych apwyntiad yn {clinic} ar {day} am {time}. Ffoniwch {phone} os na allwch ddod.",
    "Mae canlyniadau eich profion yn barod. Does dim angen i chi wneud dim byd. Diolch, {clinic}.",
    "Mae’n ddrwg gennym, mae eich apwyntiad ar {day} wedi’i ganslo. Byddwn yn cysylltu â chi gyda dyddiad newydd.",
    "Mae’n amser i chi gael eich adolygiad blynyddol. Ffoniwch {phone} i drefnu apwyntiad yn {place}.",
    "Croeso i Dŷ Gwyn. Mae eich brechlyn ffliw yn barod – dewch i’r feddygfa ar {day} rhwng 9 a 12.",
]
emoji = [" 🙂", " 📅", " 👍", " 💉", " 🏥"]

def reminder():
    t = f"Dear {random.choice(names)}, this is a reminder of your appointment at {random.choice(clinics)}, {random.choice(places)}, on {random.choice(days)} at {random.choice(times)}."
    return t, "reminder"

def result():
    t = random.choice([
        "Your recent blood test results are normal and no action is needed.",
        "Your test results are back. Please book a routine appointment with your GP to discuss them.",
        "Your X-ray result has been reviewed by the doctor: no further action is needed.",
        "Your smear test result is ready. It is normal and you will be invited again in 3 years.",
        "Your results are ready. The doctor would like to speak to you: please call the surgery.",
    ])
    sign = random.choice(clinics).replace('the ', '') if random.random() < 0.3 else 'Riverside Health Centre'
    return f"{t} From {sign}.", "result"

def recall():
    t = random.choice([
        f"You are due your annual asthma review. Please call {random.choice(phones)} or book online.",
        f"Our records show you are due a blood pressure check. Please book with the practice nurse at {random.choice(places)}.",
        "You are now eligible for the shingles vaccine. Please contact the surgery to book.",
        f"It is time for your diabetes review, including blood tests and a foot check. Call {random.choice(phones)}.",
        "You are due a medication review before we can issue more repeat prescriptions.",
    ])
    return t, "recall"

def cancellation():
    t = (f"We are sorry, your appointment at {random.choice(clinics)} on {random.choice(days)} at {random.choice(times)} has been cancelled "
         f"due to staff illness. We will send you a new date. If you have questions call {random.choice(phones)}.")
    return t, "cancellation"

texts = []
kinds = [reminder, result, recall, cancellation]
while len(texts) < 240:
    i = len(texts)
    if i % 9 == 4:
        body = random.choice(welsh).format(clinic=random.choice(clinics), day=random.choice(days), time=random.choice(times),
                                          phone=random.choice(phones), place=random.choice(places))
    else:
        body, _ = kinds[i % 4]()
    # Lengths from short to long: add 0-5 extra sentences.
    for _ in range(random.choice([0, 0, 0, 1, 1, 2, 3, 5, 8])):
        body += " " + random.choice(extras)
    if i % 7 == 3:
        body += " " + random.choice(curly)
    if i % 11 == 5:
        body += random.choice(emoji)
    if i % 23 == 0:
        body = random.choice(["Your appointment is confirmed for " + random.choice(days) + ".", "Please call the surgery on " + random.choice(phones) + "."])
    if 40 <= len(body) <= 600:
        texts.append(body)

with open("clinical-texts.txt", "w", encoding="utf-8") as f:
    for t in texts:
        assert "\n" not in t
        f.write(t + "\n")
lens = [len(t) for t in texts]
print(len(texts), min(lens), max(lens), sum(lens) // len(texts))
