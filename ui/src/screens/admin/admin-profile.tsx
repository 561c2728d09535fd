import { useEffect, useState } from "preact/hooks";
import { api, call } from "../../api/client";
import { ApiError } from "../../api/errors";
import { ErrorNotice } from "../../components/error-notice";
import { useAction, useLoad } from "../../hooks/use-load";

/**
 * What customers see of the number in WhatsApp: the business profile, the about text and
 * the profile photo. Reads ask the provider; writes reach it first and are kept only once
 * it accepted them, so its refusal shows here in its words.
 */
const VERTICALS = [
  "Automotive",
  "Beauty, Spa and Salon",
  "Clothing and Apparel",
  "Education",
  "Entertainment",
  "Event Planning and Service",
  "Finance and Banking",
  "Food and Grocery",
  "Public Service",
  "Hotel and Lodging",
  "Medical and Health",
  "Non-profit",
  "Professional Services",
  "Shopping and Retail",
  "Travel and Transportation",
  "Restaurant",
  "Other",
] as const;

const readDataUrl = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(new ApiError(0, "The file could not be read."));
    reader.readAsDataURL(file);
  });

function Photo() {
  const [src, setSrc] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const { busy, error, run } = useAction();
  const load = async () => {
    const { data, response } = await api.GET("/api/v1/settings/profile/photo/", { parseAs: "blob" });
    if (response.status === 404) return setMissing(true);
    if (!response.ok || !(data instanceof Blob)) throw new ApiError(response.status, `The photo could not be loaded (${response.status}).`);
    setMissing(false);
    setSrc(URL.createObjectURL(data));
  };
  useEffect(() => {
    void run(load);
  }, []);
  return (
    <section class="stack admin-form" aria-labelledby="photo-title">
      <h2 id="photo-title">Profile photo</h2>
      {src && <img class="profile-photo" src={src} alt="What customers see next to the number's name" />}
      {missing && <p class="empty">No photo is set.</p>}
      <label for="photo-file">Upload a JPEG or PNG</label>
      <input
        id="photo-file"
        type="file"
        accept="image/jpeg,image/png"
        disabled={busy}
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          if (!file) return;
          void run(async () => {
            await call(api.POST("/api/v1/settings/profile/photo/", { body: { file_encoded: await readDataUrl(file) } }));
            await load();
          });
        }}
      />
      <ErrorNotice error={error} />
    </section>
  );
}

export function AdminProfile() {
  const profile = useLoad(() => call(api.GET("/api/v1/settings/business/profile/")));
  const about = useLoad(() => call(api.GET("/api/v1/settings/profile/about/")));
  const saveProfile = useAction();
  const saveAbout = useAction();
  const [saved, setSaved] = useState<string | null>(null);
  return (
    <section aria-label="Business profile">
      <ErrorNotice error={profile.error} />
      {profile.data && (
        <form
          class="stack admin-form"
          aria-labelledby="profile-title"
          onSubmit={(event) => {
            event.preventDefault();
            const data = new FormData(event.currentTarget as HTMLFormElement);
            const text = (name: string) => String(data.get(name) ?? "");
            const vertical = VERTICALS.find((v) => v === text("vertical"));
            setSaved(null);
            void saveProfile.run(async () => {
              if (!vertical) throw new ApiError(0, "Choose an industry: WhatsApp requires one.");
              await call(
                api.PUT("/api/v1/settings/business/profile/", {
                  body: {
                    address: text("address"),
                    description: text("description"),
                    email: text("email"),
                    vertical,
                    websites: text("websites").split(/\s+/).filter(Boolean),
                  },
                }),
              );
              setSaved("The business profile was saved.");
              await profile.reload();
            });
          }}
        >
          <h2 id="profile-title">Business profile</h2>
          <label for="profile-address">Address</label>
          <input id="profile-address" name="address" defaultValue={profile.data.address} maxLength={256} />
          <label for="profile-description">Description</label>
          <textarea id="profile-description" name="description" defaultValue={profile.data.description} maxLength={512} rows={3} />
          <label for="profile-email">E-mail</label>
          <input id="profile-email" name="email" type="email" defaultValue={profile.data.email} />
          <label for="profile-vertical">Industry</label>
          <select id="profile-vertical" name="vertical" defaultValue={profile.data.vertical}>
            <option value="">(none)</option>
            {VERTICALS.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
          <label for="profile-websites">Websites (up to two, separated by spaces)</label>
          <input id="profile-websites" name="websites" defaultValue={profile.data.websites.join(" ")} />
          <ErrorNotice error={saveProfile.error} />
          {saved && <p role="status">{saved}</p>}
          <button type="submit" disabled={saveProfile.busy}>
            Save the business profile
          </button>
        </form>
      )}
      <ErrorNotice error={about.error} />
      {about.data && (
        <form
          class="stack admin-form"
          aria-labelledby="about-title"
          onSubmit={(event) => {
            event.preventDefault();
            const text = String(new FormData(event.currentTarget as HTMLFormElement).get("about") ?? "");
            void saveAbout.run(async () => {
              await call(api.PUT("/api/v1/settings/profile/about/", { body: { text } }));
              await about.reload();
            });
          }}
        >
          <h2 id="about-title">About</h2>
          <label for="about-text">About text (up to 139 characters)</label>
          <input id="about-text" name="about" defaultValue={about.data.text} maxLength={139} />
          <ErrorNotice error={saveAbout.error} />
          <button type="submit" disabled={saveAbout.busy}>
            Save the about text
          </button>
        </form>
      )}
      <Photo />
    </section>
  );
}
